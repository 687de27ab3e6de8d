/** What a sync checks before deciding: is the spec usable, and what the very first step sees. */
import { describeError } from "../core/errors.js";
import { type ExperimentSpec, validateExperiment, versionsOf } from "../core/experiment/index.js";
import type { Observations } from "../core/observations.js";
import { buildPluginConfig } from "../core/plugin-config.js";
import type { ExperimentObject, StoredStatus } from "./experiment-object.js";
import type { FilterCheck } from "./filter-check.js";

/** Phases after which the core never acts again. */
export const TERMINAL: ReadonlySet<string> = new Set(["Completed", "RolledBack", "Failed"]);

/** No traffic yet: the first step sets the initial weights without asking any metrics source. */
export function zeroObservations(spec: ExperimentSpec): Observations {
  return {
    elapsedSeconds: 0,
    versions: Object.fromEntries(versionsOf(spec).map((v) => [v.name, { requests: 0, errors: 0 }])),
  };
}

/**
 * Problems with the spec: the schema and rules, then whether the filter could take it — by the
 * controller's own checks, then (with `check`) by the real filter, whose word is final.
 */
export function specProblems(o: ExperimentObject, check?: FilterCheck): string[] {
  const problems = validateExperiment({
    apiVersion: "cohort.dev/v1alpha1",
    kind: "Experiment",
    metadata: { name: o.metadata.name },
    spec: o.spec,
  }).map((p) => `${p.path}: ${p.message}`);
  if (problems.length > 0 || o.spec === undefined) return problems;
  try {
    const spec = o.spec;
    const weights = Object.fromEntries(versionsOf(spec).map((v) => [v.name, 1]));
    const config = buildPluginConfig([
      { name: o.metadata.name, namespace: o.metadata.namespace, spec, weights },
    ]);
    const refusal = check?.(config);
    if (refusal !== undefined) {
      return [
        `the filter refuses its plugin config: ${refusal.replace(/^experiments\[0\]\.?/, "")}`,
      ];
    }
  } catch (e) {
    return [describeError(e)];
  }
  return [];
}

export function failedOnSpec(s: StoredStatus | undefined): boolean {
  return (
    s?.phase === "Failed" &&
    (s.conditions ?? []).some((c) => c.type === "SpecValid" && c.status === "False")
  );
}
