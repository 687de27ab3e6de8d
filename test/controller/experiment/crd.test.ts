import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  CRD_FILE,
  experimentCrd,
  experimentCrdYaml,
  parseExperiment,
} from "../../../controller/src/core/experiment/index.js";
import { admissionProblems, structuralViolations } from "./structural-schema.js";

const root = new URL("../../../", import.meta.url);
const examplesDir = new URL("deploy/examples/experiments/", root);
const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith(".yaml"))
  .sort()
  .map((f) => ({ file: f, text: readFileSync(new URL(f, examplesDir), "utf8") }));

const version = () => {
  const [v] = experimentCrd().spec.versions;
  if (v === undefined) throw new Error("the CRD has no version");
  return v;
};
const schema = () => version().schema.openAPIV3Schema as unknown as Record<string, unknown>;

describe("the Experiment CRD", () => {
  it("is checked in as generated from the schema", () => {
    const checkedIn = readFileSync(new URL(CRD_FILE, root), "utf8");
    expect(checkedIn, `${CRD_FILE} is out of date: run \`npm run generate\``).toBe(
      experimentCrdYaml(),
    );
  });

  it("reads back from its YAML as exactly the generated object, patterns and all", () => {
    expect(parse(experimentCrdYaml())).toEqual(experimentCrd());
  });

  it("names the resource without clashing with Argo Rollouts' Experiment (short name exp)", () => {
    const crd = experimentCrd();
    expect(crd.metadata.name).toBe("experiments.cohort.dev");
    expect(crd.spec.group).toBe("cohort.dev");
    expect(crd.spec.scope).toBe("Namespaced");
    expect(crd.spec.names).toEqual({
      kind: "Experiment",
      listKind: "ExperimentList",
      plural: "experiments",
      singular: "experiment",
      shortNames: ["cexp", "cohortexp"],
      categories: ["cohort"],
    });
    expect(crd.spec.names.shortNames).not.toContain("exp");
    expect(version().name).toBe("v1alpha1");
    expect(version().subresources).toEqual({ status: {} });
  });

  it("follows Kubernetes' structural-schema rules", () => {
    expect(structuralViolations(schema())).toEqual([]);
    // The root metadata may only be typed; the API server owns its fields.
    expect((schema().properties as Record<string, unknown>).metadata).toEqual({ type: "object" });
  });

  it("flags what the structural checker is there to catch", () => {
    expect(
      structuralViolations({
        type: "object",
        properties: {
          a: { const: "x" },
          b: { type: "number", exclusiveMinimum: 0 },
          c: { type: "object", properties: {}, additionalProperties: { type: "string" } },
        },
      }),
    ).toEqual([
      "a: keyword const is not allowed in a CRD schema",
      "a: has no type",
      "b: exclusiveMinimum must be a boolean in OpenAPI v3.0",
      "c: properties and additionalProperties are mutually exclusive",
    ]);
  });

  it("maps TypeBox bounds and unions to what OpenAPI v3.0 understands", () => {
    const spec = (schema().properties as Record<string, Record<string, unknown>>).spec as {
      properties: Record<
        string,
        { properties?: Record<string, unknown> } & Record<string, unknown>
      >;
    };
    expect(spec.properties.testingPattern?.enum).toEqual(["AB", "ABN", "Canary", "Conformance"]);
    expect(spec.properties.criteria?.properties?.confidence).toMatchObject({
      type: "number",
      minimum: 0.5,
      exclusiveMinimum: true,
      maximum: 1,
      exclusiveMaximum: true,
      default: 0.95,
    });
    const variables = spec.properties.baseline?.properties?.variables as Record<string, unknown>;
    expect(variables.additionalProperties).toEqual({ type: "string" });
    const promotionKind = spec.properties.promotion?.properties?.kind as { enum?: unknown };
    expect(promotionKind.enum).toEqual(["none", "helm", "kustomize", "command"]);
  });

  it("types the status fields behind the printer columns and keeps the rest of the status", () => {
    const status = (schema().properties as Record<string, Record<string, unknown>>).status;
    expect(status?.["x-kubernetes-preserve-unknown-fields"]).toBe(true);
    expect(status?.properties).toMatchObject({
      phase: { type: "string" },
      iteration: { type: "integer" },
      winner: { type: "string", nullable: true },
      recommended: { type: "string" },
      weightsSummary: { type: "string" },
      conditions: { type: "array" },
    });
    expect(
      version().additionalPrinterColumns.map((c) => `${c.name} ${c.type} ${c.jsonPath}`),
    ).toEqual([
      "Pattern string .spec.testingPattern",
      "Phase string .status.phase",
      "Iteration integer .status.iteration",
      "Winner string .status.winner",
      "Weights string .status.weightsSummary",
      "Age date .metadata.creationTimestamp",
    ]);
  });

  it("admits the status the controller writes, with no winner yet", () => {
    const status = {
      phase: "Running",
      iteration: 3,
      winner: null,
      recommended: "v1",
      weightsSummary: "v1=80,v2=20",
      conditions: [
        {
          type: "WinnerFound",
          status: "False",
          reason: "NotSignificant",
          message: "no significant difference yet",
          lastTransitionTime: "2026-11-26T05:00:00Z",
        },
      ],
      versions: { v1: { validated: null } },
    };
    expect(admissionProblems(schema(), { status })).toEqual([]);
  });

  it("lets every printer column point at a field the schema declares", () => {
    for (const { jsonPath } of version().additionalPrinterColumns) {
      if (jsonPath.startsWith(".metadata.")) continue; // the API server's own fields
      let node = schema();
      for (const key of jsonPath.slice(1).split(".")) {
        const next = (node.properties as Record<string, Record<string, unknown>> | undefined)?.[
          key
        ];
        expect(next, `${jsonPath}: no ${key}`).toBeDefined();
        node = next as Record<string, unknown>;
      }
    }
  });
});

describe("the example experiments", () => {
  it("cover every testing pattern, plus mirroring and segmentation", () => {
    const docs = examples.map((e) => parse(e.text));
    expect(new Set(docs.map((d) => d.spec.testingPattern))).toEqual(
      new Set(["AB", "ABN", "Canary", "Conformance"]),
    );
    expect(docs.some((d) => d.spec.traffic?.mirror && d.spec.traffic?.segment)).toBe(true);
  });

  it.each(examples)("$file is valid", ({ file, text }) => {
    expect(() => parseExperiment(text, file)).not.toThrow();
  });

  it.each(examples)("$file is admitted by the CRD schema with no field pruned", ({ text }) => {
    const { metadata: _serverOwned, ...doc } = parse(text);
    expect(admissionProblems(schema(), doc)).toEqual([]);
  });

  it("shows pruning when a field is unknown to the CRD, which is why validate reports it", () => {
    const { metadata: _serverOwned, ...doc } = parse(examples[0]?.text ?? "");
    doc.spec.criteria.objectives[0].upperlimit = 50;
    expect(admissionProblems(schema(), doc)).toEqual([
      "spec.criteria.objectives[0].upperlimit: would be pruned",
    ]);
  });
});
