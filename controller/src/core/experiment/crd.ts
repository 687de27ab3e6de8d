/** The Experiment CustomResourceDefinition, generated from the schema (`npm run generate`). */
import { stringify } from "yaml";
import { type StructuralSchema, toStructural } from "./openapi.js";
import { API_GROUP, API_VERSION, ExperimentSpec, KIND } from "./schema.js";

export const CRD_PLURAL = "experiments";
/** Argo Rollouts' Experiment takes `exp`; ours must not clash with it. */
export const CRD_SHORT_NAMES = ["cexp", "cohortexp"];
export const CRD_FILE = `deploy/crds/${API_GROUP}_${CRD_PLURAL}.yaml`;

const text: StructuralSchema = { type: "string" };

/**
 * The status the controller writes. Typed fields feed the printer columns; the rest (per-version
 * assessments, estimates, weights history) is kept as written.
 */
const status: StructuralSchema = {
  type: "object",
  description: "Written by the controller: everything a restart needs to carry on.",
  "x-kubernetes-preserve-unknown-fields": true,
  properties: {
    phase: text,
    iteration: { type: "integer" },
    // null until a version wins (core/status.ts); without nullable the API server refuses null.
    winner: { type: "string", nullable: true },
    recommended: text,
    weightsSummary: { type: "string", description: 'Current weights, e.g. "v1=80,v2=20".' },
    observedGeneration: { type: "integer" },
    conditions: {
      type: "array",
      items: {
        type: "object",
        "x-kubernetes-preserve-unknown-fields": true,
        properties: {
          type: text,
          status: text,
          reason: text,
          message: text,
          lastTransitionTime: { type: "string", format: "date-time" },
        },
      },
    },
  },
};

const column = (name: string, type: string, jsonPath: string) => ({ name, type, jsonPath });

/** The CRD object, ready to serialise; pure. */
export function experimentCrd() {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: {
      name: `${CRD_PLURAL}.${API_GROUP}`,
      labels: { "app.kubernetes.io/part-of": "cohort" },
    },
    spec: {
      group: API_GROUP,
      names: {
        kind: KIND,
        listKind: `${KIND}List`,
        plural: CRD_PLURAL,
        singular: KIND.toLowerCase(),
        shortNames: CRD_SHORT_NAMES,
        categories: ["cohort"],
      },
      scope: "Namespaced",
      versions: [
        {
          name: API_VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            column("Pattern", "string", ".spec.testingPattern"),
            column("Phase", "string", ".status.phase"),
            column("Iteration", "integer", ".status.iteration"),
            column("Winner", "string", ".status.winner"),
            column("Weights", "string", ".status.weightsSummary"),
            column("Age", "date", ".metadata.creationTimestamp"),
          ],
          schema: {
            openAPIV3Schema: {
              type: "object",
              description:
                "An experiment: versions of a target, the criteria that decide, and how traffic moves.",
              required: ["spec"],
              properties: {
                apiVersion: text,
                kind: text,
                metadata: { type: "object" },
                spec: toStructural(ExperimentSpec),
                status,
              },
            } satisfies StructuralSchema,
          },
        },
      ],
    },
  };
}

/** The CRD as the YAML file checked in at `CRD_FILE`. */
export function experimentCrdYaml(): string {
  const header = [
    "# Generated from controller/src/core/experiment/schema.ts by `npm run generate`. Do not edit.",
    "",
  ].join("\n");
  return header + stringify(experimentCrd(), { lineWidth: 0, aliasDuplicateObjects: false });
}
