import type { StatusCause } from "./status.js";

/**
 * One REST resource the fake serves. `custom: true` gives it the semantics the API server applies to
 * custom resources (apiextensions-apiserver's customresource strategy): strategic merge patch is
 * refused with 415, PUT must carry `metadata.resourceVersion`, `metadata.generation` is kept.
 */
export interface ResourceKind {
  /** API group; "" for the core group served under /api/v1. */
  group: string;
  version: string;
  kind: string;
  /** Lower-case plural used in URLs, e.g. "experiments". */
  plural: string;
  namespaced: boolean;
  /** Serves `/status`: writes there change only `.status`, writes to the object never do. */
  statusSubresource?: boolean;
  custom?: boolean;
  /** Fields besides metadata.name/metadata.namespace that `fieldSelector` accepts, e.g. "reason". */
  selectableFields?: string[];
  /** Schema-style validation run on create and update; causes become a 422 Invalid Status. */
  validate?: (obj: KubeObject) => StatusCause[];
  shortNames?: string[];
  /** Rewrites fields into the server's canonical form before storing (e.g. MicroTime precision). */
  normalize?: (obj: KubeObject) => void;
}

/** An object as stored and served: plain JSON with the usual metadata. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [key: string]: unknown;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: unknown[];
  [key: string]: unknown;
}

export function apiVersionOf(k: Pick<ResourceKind, "group" | "version">): string {
  return k.group === "" ? k.version : `${k.group}/${k.version}`;
}

/** Generation is tracked by every custom resource and by the built-ins with a spec. */
export function tracksGeneration(k: ResourceKind): boolean {
  return k.custom === true;
}

/**
 * metav1.MicroTime as the server serialises it: RFC 3339 with exactly six fractional digits
 * ("2026-01-01T00:00:05.000000Z"), whatever precision the client sent.
 */
export function microTime(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(value);
  if (m === null) return value;
  const t = new Date(`${m[1]}${m[3]}`);
  if (Number.isNaN(t.getTime())) return value;
  const fraction = (m[2] ?? "").padEnd(6, "0").slice(0, 6);
  return `${t.toISOString().slice(0, 19)}.${fraction}Z`;
}

function normalizeLease(obj: KubeObject): void {
  const spec = obj.spec as Record<string, unknown> | undefined;
  if (spec === undefined) return;
  for (const f of ["acquireTime", "renewTime"])
    if (spec[f] !== undefined) spec[f] = microTime(spec[f]);
}

const core = (kind: string, plural: string, extra: Partial<ResourceKind> = {}): ResourceKind => ({
  group: "",
  version: "v1",
  kind,
  plural,
  namespaced: true,
  ...extra,
});

/** What the Cohort controller talks to: its CRD, Istio's objects, Leases, Events and config. */
export const defaultKinds: readonly ResourceKind[] = [
  {
    group: "cohort.dev",
    version: "v1alpha1",
    kind: "Experiment",
    plural: "experiments",
    namespaced: true,
    statusSubresource: true,
    custom: true,
    shortNames: ["exp"],
  },
  {
    group: "extensions.istio.io",
    version: "v1alpha1",
    kind: "WasmPlugin",
    plural: "wasmplugins",
    namespaced: true,
    statusSubresource: true,
    custom: true,
  },
  {
    group: "networking.istio.io",
    version: "v1",
    kind: "VirtualService",
    plural: "virtualservices",
    namespaced: true,
    statusSubresource: true,
    custom: true,
    shortNames: ["vs"],
  },
  {
    group: "networking.istio.io",
    version: "v1",
    kind: "DestinationRule",
    plural: "destinationrules",
    namespaced: true,
    statusSubresource: true,
    custom: true,
    shortNames: ["dr"],
  },
  {
    group: "coordination.k8s.io",
    version: "v1",
    kind: "Lease",
    plural: "leases",
    namespaced: true,
    normalize: normalizeLease,
  },
  core("Event", "events", {
    selectableFields: [
      "involvedObject.kind",
      "involvedObject.namespace",
      "involvedObject.name",
      "involvedObject.uid",
      "reason",
      "type",
      "source",
    ],
    shortNames: ["ev"],
  }),
  core("ConfigMap", "configmaps", { shortNames: ["cm"] }),
  core("Secret", "secrets", { selectableFields: ["type"] }),
  core("Namespace", "namespaces", {
    namespaced: false,
    statusSubresource: true,
    selectableFields: ["status.phase"],
    shortNames: ["ns"],
  }),
  {
    group: "events.k8s.io",
    version: "v1",
    kind: "Event",
    plural: "events",
    namespaced: true,
    selectableFields: ["reason", "type", "regarding.kind", "regarding.name", "regarding.namespace"],
    shortNames: ["ev"],
  },
];
