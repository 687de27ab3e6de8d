import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  DEFAULTS,
  ExperimentInvalid,
  parseExperiment,
} from "../../../controller/src/core/experiment/index.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/experiments/${name}`, import.meta.url), "utf8");

function problemsOf(text: string, file?: string) {
  try {
    parseExperiment(text, file);
  } catch (e) {
    if (e instanceof ExperimentInvalid) return e;
    throw e;
  }
  throw new Error("expected the experiment to be invalid");
}

describe("parseExperiment", () => {
  it("gives every problem its line in the file, in file order", () => {
    const error = problemsOf(fixture("many-problems.yaml"), "many-problems.yaml");
    expect(error.file).toBe("many-problems.yaml");
    expect(error.problems).toEqual([
      {
        path: "spec.candidates",
        message: "AB needs exactly one candidate, found 2: v2, v3",
        line: 9,
      },
      { path: "spec.criteria.reward", message: "AB needs a reward to pick the winner", line: 12 },
      {
        path: "spec.criteria.objectives[0].upperLimit",
        message: 'must be a number, not the string "50ms" (write 50, without units or quotes)',
        line: 15,
      },
      {
        path: "spec.criteria.objectives[1]",
        message: "needs upperLimit, lowerLimit or both",
        line: 16,
      },
      {
        path: "spec.criteria.objectives[1].upperlimit",
        message: "unknown field; did you mean upperLimit?",
        line: 17,
      },
      {
        path: "spec.traffic.mirror.version",
        message:
          "v2 is in the split (spec.candidates[0]); the mirror version must be a separate version that only gets copies",
        line: 19,
      },
    ]);
  });

  it("puts the line of the parent on a missing field", () => {
    const error = problemsOf(
      fixture("many-problems.yaml").replace("criteria:", "criteria:\n    reward: {}"),
    );
    expect(error.problems.filter((p) => p.path.startsWith("spec.criteria.reward"))).toEqual([
      { path: "spec.criteria.reward.metric", message: "is required", line: 13 },
      { path: "spec.criteria.reward.preferredDirection", message: "is required", line: 13 },
    ]);
  });

  it("lists every problem in the error message, prefixed with file and line", () => {
    const error = problemsOf(fixture("many-problems.yaml"), "exp.yaml");
    expect(error.message.split("\n")).toEqual([
      "experiment exp.yaml is invalid (6 problems):",
      "  exp.yaml:9: spec.candidates: AB needs exactly one candidate, found 2: v2, v3",
      "  exp.yaml:12: spec.criteria.reward: AB needs a reward to pick the winner",
      '  exp.yaml:15: spec.criteria.objectives[0].upperLimit: must be a number, not the string "50ms" (write 50, without units or quotes)',
      "  exp.yaml:16: spec.criteria.objectives[1]: needs upperLimit, lowerLimit or both",
      "  exp.yaml:17: spec.criteria.objectives[1].upperlimit: unknown field; did you mean upperLimit?",
      "  exp.yaml:19: spec.traffic.mirror.version: v2 is in the split (spec.candidates[0]); the mirror version must be a separate version that only gets copies",
    ]);
  });

  it("reports a YAML syntax error with its line and column", () => {
    const error = problemsOf(fixture("syntax-error.yaml"));
    expect(error.problems).toEqual([
      {
        path: "(yaml)",
        message:
          "YAML syntax error at line 8, column 3: Flow sequence in block collection must be sufficiently indented and end with a ]",
        line: 8,
      },
    ]);
  });

  it("reports a key given twice as a syntax error on its second line", () => {
    const error = problemsOf(fixture("duplicate-key.yaml"));
    expect(error.problems).toEqual([
      {
        path: "(yaml)",
        message: "YAML syntax error at line 8, column 3: Map keys must be unique",
        line: 8,
      },
    ]);
  });

  it("refuses an empty file and a file with two documents", () => {
    expect(problemsOf("# nothing\n").problems).toEqual([
      { path: "(document)", message: "the file is empty" },
    ]);
    expect(problemsOf("a: 1\n---\nb: 2\n").problems).toEqual([
      { path: "(yaml)", message: "expected one document, found 2 (separated by ---)" },
    ]);
  });

  it("reads JSON and fills in every default", () => {
    const experiment = parseExperiment(fixture("abn.json"));
    expect(experiment.spec).toEqual({
      target: "shop/search",
      testingPattern: "ABN",
      deploymentPattern: "Progressive",
      baseline: { name: "v1" },
      candidates: [{ name: "v2" }, { name: "v3" }],
      criteria: {
        confidence: 0.95,
        objectives: [],
        reward: { metric: "latency-mean", preferredDirection: "Low" },
      },
      metrics: [],
      weights: { maxCandidateWeight: 100, maxCandidateWeightIncrement: 10 },
      duration: { intervalSeconds: 30, maxIterations: 20 },
    });
    expect(DEFAULTS.confidence).toBe(0.95);
  });

  it("keeps the values the file gives over the defaults", () => {
    const text = fixture("abn.json").replace(
      '"criteria": {',
      '"deploymentPattern": "FixedSplit", "duration": { "maxIterations": 5 }, "criteria": { "confidence": 0.99,',
    );
    const { spec } = parseExperiment(text);
    expect(spec.deploymentPattern).toBe("FixedSplit");
    expect(spec.criteria.confidence).toBe(0.99);
    expect(spec.duration).toEqual({ intervalSeconds: 30, maxIterations: 5 });
  });
});
