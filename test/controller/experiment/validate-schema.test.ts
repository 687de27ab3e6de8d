import { describe, expect, it } from "vitest";
import { validateExperiment } from "../../../controller/src/core/experiment/index.js";
import { canary } from "./docs.js";

describe("validateExperiment: the shape of the document", () => {
  it("accepts a valid canary experiment with no problems", () => {
    expect(validateExperiment(canary())).toEqual([]);
  });

  it("names an unknown field, which a CRD would prune silently, and guesses the intended one", () => {
    const doc = canary();
    doc.spec.criteria.objectives = [{ metric: "latency-p99", upperlimit: 50 }];
    doc.spec.foo = 1;
    expect(validateExperiment(doc)).toEqual([
      {
        path: "spec.criteria.objectives[0].upperlimit",
        message: "unknown field; did you mean upperLimit?",
      },
      {
        path: "spec.foo",
        message:
          "unknown field (known: target, testingPattern, deploymentPattern, baseline, candidates, criteria, metrics, traffic, weights, duration, promotion, load, sidecar)",
      },
      // The typo also leaves the objective without any limit.
      { path: "spec.criteria.objectives[0]", message: "needs upperLimit, lowerLimit or both" },
    ]);
  });

  it("says a limit written with units is a string, not a number", () => {
    const doc = canary();
    doc.spec.criteria.objectives = [{ metric: "latency-p99", upperLimit: "50ms" }];
    expect(validateExperiment(doc)).toEqual([
      {
        path: "spec.criteria.objectives[0].upperLimit",
        message: 'must be a number, not the string "50ms" (write 50, without units or quotes)',
      },
    ]);
  });

  it("rejects another resource's apiVersion and kind", () => {
    const doc = canary();
    doc.apiVersion = "argoproj.io/v1alpha1";
    doc.kind = "Rollout";
    expect(validateExperiment(doc)).toEqual([
      {
        path: "apiVersion",
        message: 'must be cohort.dev/v1alpha1, not the string "argoproj.io/v1alpha1"',
      },
      { path: "kind", message: 'must be Experiment, not the string "Rollout"' },
    ]);
  });

  it("lists the allowed values of an enum", () => {
    const doc = canary();
    doc.spec.testingPattern = "Canery";
    doc.spec.deploymentPattern = "Gradual";
    expect(validateExperiment(doc)).toEqual([
      {
        path: "spec.testingPattern",
        message: 'must be one of AB, ABN, Canary, Conformance, not the string "Canery"',
      },
      {
        path: "spec.deploymentPattern",
        message: 'must be one of Progressive, FixedSplit, not the string "Gradual"',
      },
    ]);
  });

  it("reports missing required fields", () => {
    const doc = canary();
    delete doc.spec.target;
    delete (doc.spec as Record<string, unknown>).criteria;
    doc.metadata = {};
    expect(validateExperiment(doc)).toEqual([
      { path: "metadata.name", message: "is required" },
      { path: "spec.target", message: "is required" },
      { path: "spec.criteria", message: "is required" },
      { path: "spec.criteria.objectives", message: "Canary needs at least one objective" },
    ]);
  });

  it("rejects weights and caps outside 0-100 and fractional weights", () => {
    const doc = canary();
    doc.spec.baseline = { name: "v1", weight: -5 };
    doc.spec.candidates = [{ name: "v2", weight: 2.5 }];
    doc.spec.weights = { maxCandidateWeight: 120, maxCandidateWeightIncrement: 10 };
    expect(validateExperiment(doc)).toEqual([
      { path: "spec.baseline.weight", message: "must be between 0 and 100, not -5" },
      { path: "spec.candidates[0].weight", message: "must be a whole number, not 2.5" },
      { path: "spec.weights.maxCandidateWeight", message: "must be between 0 and 100, not 120" },
    ]);
  });

  it("explains exclusive bounds on confidence and interval", () => {
    const doc = canary();
    doc.spec.criteria.confidence = 1;
    doc.spec.duration = { intervalSeconds: 0, maxIterations: 0 };
    expect(validateExperiment(doc)).toEqual([
      {
        path: "spec.criteria.confidence",
        message: "must be between 0.5 (exclusive) and 1 (exclusive), not 1",
      },
      { path: "spec.duration.intervalSeconds", message: "must be above 0, not 0" },
      { path: "spec.duration.maxIterations", message: "must be at least 1, not 0" },
    ]);
  });

  it("rejects version names that are not DNS labels and malformed sticky keys", () => {
    const doc = canary();
    doc.spec.candidates = [{ name: "V2_new" }];
    doc.spec.traffic = { stickyKey: ["x-user-id", "header:X-User", "cookie:Session-ID"] };
    expect(validateExperiment(doc)).toEqual([
      {
        path: "spec.candidates[0].name",
        message: "\"V2_new\" is not valid: A DNS-1123 label: lower-case letters, digits and '-'.",
      },
      {
        path: "spec.traffic.stickyKey[0]",
        message: "\"x-user-id\" is not valid: 'header:NAME' (lower case) or 'cookie:NAME'.",
      },
      {
        path: "spec.traffic.stickyKey[1]",
        message: "\"header:X-User\" is not valid: 'header:NAME' (lower case) or 'cookie:NAME'.",
      },
    ]);
  });

  it("quotes keys that are not plain names, so the path stays unambiguous", () => {
    const doc = canary();
    doc.spec.baseline = { name: "v1", variables: { "model.name": 3, region: "eu" } };
    expect(validateExperiment(doc)).toEqual([
      { path: 'spec.baseline.variables["model.name"]', message: "must be a string, not 3" },
    ]);
  });

  it("says what a non-object document is", () => {
    expect(validateExperiment(42)).toEqual([
      { path: "(document)", message: "must be an object, not 42" },
    ]);
    expect(validateExperiment(["a"])).toEqual([
      { path: "(document)", message: "must be an object, not a list" },
    ]);
  });

  it("keeps unknown fields under metadata, which is open by design", () => {
    const doc = canary();
    doc.metadata = { name: "checkout", labels: { team: "shop" }, annotations: {} };
    doc.spec.promotion = { kind: "helm", helm: { release: "checkout", chart: "./chart" } };
    expect(validateExperiment(doc)).toEqual([]);
  });

  it("ignores the status, which the controller owns", () => {
    const doc = canary();
    doc.status = { phase: "Running", anything: [1, 2] };
    expect(validateExperiment(doc)).toEqual([]);
  });
});
