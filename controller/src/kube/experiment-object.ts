/** The Experiment custom resource as the controller reads it from the API server. */
import { API_GROUP, API_VERSION, type ExperimentSpec } from "../core/experiment/index.js";
import type { ExperimentStatus } from "../core/status.js";
import type { PromotionRecord } from "./promotion-record.js";

export const EXPERIMENTS = {
  group: API_GROUP,
  version: API_VERSION,
  plural: "experiments",
} as const;

/** Annotation naming the WasmPlugin (in the experiment's namespace) that carries its config. */
export const WASM_PLUGIN_ANNOTATION = "cohort.dev/wasm-plugin";

/** What the Kubernetes adapter adds to the core's status. */
export interface KubeStatusFields {
  /** `metadata.generation` of the spec this status was computed from. */
  observedGeneration?: number;
  /** The two-phase record of the promotion (see promotion-record.ts). */
  promotion?: PromotionRecord;
}

export type StoredStatus = Partial<ExperimentStatus> & KubeStatusFields;

export interface ExperimentObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace: string;
    uid?: string;
    generation?: number;
    resourceVersion?: string;
    annotations?: Record<string, string>;
    deletionTimestamp?: unknown;
  };
  spec?: ExperimentSpec;
  status?: StoredStatus;
}

/** "namespace/name": the key work is serialised by. */
export function keyOf(o: { metadata?: { name?: string; namespace?: string } }): string {
  return `${o.metadata?.namespace ?? ""}/${o.metadata?.name ?? ""}`;
}

export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf("/");
  return { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** A stored status the core can continue from: one the core wrote (it has a phase). */
export function coreStatusOf(s: StoredStatus | undefined): ExperimentStatus | undefined {
  if (s === undefined || typeof s.phase !== "string") return undefined;
  const { observedGeneration: _g, promotion: _p, ...core } = s;
  // merge patches cannot store null: the fields that are null when unset come back absent
  return { winner: null, ...core } as ExperimentStatus;
}
