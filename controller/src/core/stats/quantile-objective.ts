import type { LatencyHistogram } from "../observations.js";
import { requireFinite, requireOpenUnit } from "./errors.js";
import { cumulativeCounts } from "./histogram.js";
import type { Interval } from "./interval.js";
import type { ObjectiveStatus } from "./objective-status.js";
import { type BetaPrior, priorForLimit } from "./prior.js";
import { rateInterval } from "./rate-confidence-sequence.js";

export interface QuantileObjectiveResult {
  status: ObjectiveStatus;
  /** P(X > limit): lower end from `boundsUsed.fail`, upper end and estimate from `boundsUsed.pass`. */
  exceedance: Interval;
  /**
   * The bucket bounds the decision was read at. `pass`: the largest bound ≤ the limit (0 when
   * there is none: then it cannot pass). `fail`: the smallest bound ≥ the limit (Infinity when
   * there is none: then it cannot fail).
   */
  boundsUsed: { pass: number; fail: number };
}

/**
 * Assesses "the q-quantile is ≤ limitMs" from a latency histogram, through the equivalent rate
 * statement P(X > limitMs) ≤ 1 − q and the beta-binomial confidence sequence (prior centred on
 * 1 − q). When the limit is a bucket bound this is exact. Otherwise it stays conservative: it
 * passes only when P(X > the bound below) is surely < 1 − q, and fails only when P(X > the bound
 * above) is surely > 1 − q. It never decides from an interpolated quantile. An empty histogram is
 * "undecided" with exceedance [0, 1].
 *
 * @example quantileObjective({ boundsMs: [10, 50, 100], counts: [900, 99, 1, 0] }, 0.9, 50, { alpha: 0.05 })
 * // { status: "pass", exceedance: { estimate: 0.001, lower: 4.355255342827768e-11, upper: 0.01975491569283258 }, boundsUsed: { pass: 50, fail: 50 } }
 */
export function quantileObjective(
  h: LatencyHistogram,
  q: number,
  limitMs: number,
  opts: { alpha: number; prior?: BetaPrior },
): QuantileObjectiveResult {
  requireOpenUnit("q", q);
  requireFinite("limitMs", limitMs);
  requireOpenUnit("alpha", opts.alpha);
  const { total, cumulative } = cumulativeCounts(h);
  const prior = opts.prior ?? priorForLimit(1 - q);
  const share = 1 - q;
  let passIndex = -1;
  let failIndex = h.boundsMs.length;
  h.boundsMs.forEach((b, i) => {
    if (b <= limitMs) passIndex = i;
    if (b >= limitMs && failIndex === h.boundsMs.length) failIndex = i;
  });
  // Exceedances above a bound = total − count ≤ bound; above "0" (no bound below) = everything.
  const above = (index: number): number =>
    index < 0 ? total : index >= h.boundsMs.length ? 0 : total - (cumulative[index] as number);
  const passCs = rateInterval(above(passIndex), total, opts.alpha, prior);
  const failCs = rateInterval(above(failIndex), total, opts.alpha, prior);
  const status: ObjectiveStatus =
    failCs.lower > share ? "fail" : passCs.upper < share ? "pass" : "undecided";
  return {
    status,
    exceedance: { estimate: passCs.estimate, lower: failCs.lower, upper: passCs.upper },
    boundsUsed: {
      pass: passIndex < 0 ? 0 : (h.boundsMs[passIndex] as number),
      fail:
        failIndex >= h.boundsMs.length
          ? Number.POSITIVE_INFINITY
          : (h.boundsMs[failIndex] as number),
    },
  };
}
