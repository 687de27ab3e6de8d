import type { ExperimentSpec, VersionSpec } from "./schema.js";

/** Every version in the split: the baseline first, then the candidates in spec order. */
export function versionsOf(spec: Pick<ExperimentSpec, "baseline" | "candidates">): VersionSpec[] {
  return [spec.baseline, ...(spec.candidates ?? [])];
}
