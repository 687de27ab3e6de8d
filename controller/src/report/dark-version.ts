/**
 * The dark version's verdict: the core decides among the split's versions only, so the version
 * that receives mirrored traffic alone is assessed here, on its own observations (Envoy's cluster
 * stats: its answers to the mirrored copies), with the experiment's objectives. Each of its
 * objectives is a statement at the experiment's per-statement level α/statements, on top of the
 * experiment's own statements; the confidence sequences hold at any look, so assessing the
 * cumulative counts once at the end is valid.
 */
import { assessObjective } from "../core/assess-objective.js";
import type { VersionAssessment } from "../core/assess-types.js";
import { type ExperimentSpec, resolveMetric } from "../core/experiment/index.js";
import type { VersionObservation } from "../core/observations.js";

export interface DarkAssessment {
  version: string;
  /** Mirrored requests it answered. */
  requests: number;
  /** The level each objective is assessed at. */
  alpha: number;
  assessment: VersionAssessment;
}

/** Undefined when the spec mirrors to no version or there are no observations of it. */
export function assessDarkVersion(
  spec: ExperimentSpec,
  observed: Record<string, VersionObservation>,
  alphaPerStatement: number,
): DarkAssessment | undefined {
  const version = spec.traffic?.mirror?.version;
  const obs = version === undefined ? undefined : observed[version];
  if (version === undefined || obs === undefined) return undefined;
  const objectives = (spec.criteria.objectives ?? []).flatMap((o) => {
    const metric = resolveMetric(spec, o.metric);
    return metric === undefined
      ? []
      : [assessObjective(o, metric, obs, { alpha: alphaPerStatement, final: false })];
  });
  const validated = objectives.some((o) => o.status === "fail")
    ? false
    : objectives.every((o) => o.status === "pass")
      ? true
      : null;
  return {
    version,
    requests: obs.requests,
    alpha: alphaPerStatement,
    assessment: { validated, objectives },
  };
}
