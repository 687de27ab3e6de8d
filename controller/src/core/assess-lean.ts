/**
 * Whether an undecided objective leans towards failing: its point estimate is already on the wrong
 * side of a limit. A Progressive ramp holds such a version's weight (weights.ts) instead of adding
 * traffic while the evidence points the wrong way; only a confident fail rolls it back.
 */
import { quantileLevel } from "./assess-objective.js";
import type { ObjectiveAssessment } from "./assess-types.js";
import { metricKind, type ResolvedMetric } from "./experiment/index.js";

/**
 * Quantile objectives lean as their verdict is read: the share of requests slower than the upper
 * limit against 1 − q (the quantile's own estimate for a lower limit). Counts never lean: too few
 * requests so far is not evidence against a version.
 */
export function leansToFail(o: ObjectiveAssessment, metric: ResolvedMetric): boolean {
  if (o.status !== "undecided") return false;
  const kind = metricKind(metric);
  if (kind === "count") return false;
  if (kind === "quantile" && o.upperLimit !== undefined) {
    const share = o.exceedance?.estimate;
    if (share !== undefined && share > 1 - quantileLevel(metric)) return true;
  }
  const x = o.value?.estimate;
  if (x === undefined || !Number.isFinite(x)) return false;
  const above = kind !== "quantile" && o.upperLimit !== undefined && x > o.upperLimit;
  return above || (o.lowerLimit !== undefined && x < o.lowerLimit);
}
