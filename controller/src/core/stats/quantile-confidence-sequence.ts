import type { LatencyHistogram } from "../observations.js";
import { bisectBoundary } from "./bisect.js";
import { requireOpenUnit } from "./errors.js";
import { cumulativeCounts } from "./histogram.js";
import type { Interval } from "./interval.js";
import { type BetaPrior, priorForLimit, requirePrior } from "./prior.js";
import { rateLogMarginal } from "./rate-log-martingale.js";

/**
 * A confidence sequence for the q-quantile of latency from a histogram, conservative over bucket
 * bounds. At the true quantile Q, the count S(Q) of values ≤ Q is Binomial(t, q), so Q is in
 * {x : log M_t(q; S(x)) < ln(1/α)} at every look with probability ≥ 1 − α (the beta-binomial
 * martingale with the prior centred on q; cf. Howard & Ramdas 2022, who make it uniform over all
 * q). A histogram only knows S at its bounds, so every bucket where S could enter the accepted
 * range is kept whole: the interval runs from the lower edge of the first such bucket (0 for the
 * first bucket: latencies are non-negative) to the upper edge of the last (Infinity for the
 * overflow bucket). The estimate is the upper bound of the bucket holding the empirical quantile
 * (no interpolation). An empty histogram gives NaN and [0, ∞).
 *
 * @example quantileConfidenceSequence({ boundsMs: [10, 20, 50, 100], counts: [500, 400, 90, 10, 0] }, 0.9, { alpha: 0.05 })
 * // { estimate: 20, lower: 10, upper: 50 }
 */
export function quantileConfidenceSequence(
  h: LatencyHistogram,
  q: number,
  opts: { alpha: number; prior?: BetaPrior },
): Interval {
  requireOpenUnit("q", q);
  requireOpenUnit("alpha", opts.alpha);
  const prior = opts.prior ?? priorForLimit(q);
  requirePrior(prior);
  const { total: t, cumulative } = cumulativeCounts(h);
  if (t === 0) return { estimate: Number.NaN, lower: 0, upper: Number.POSITIVE_INFINITY };
  const threshold = Math.log(1 / opts.alpha);
  const lnQ = Math.log(q);
  const ln1q = Math.log1p(-q);
  const inside = (s: number): boolean =>
    rateLogMarginal(s, t, prior) - s * lnQ - (t - s) * ln1q < threshold;
  const centre = q * t;
  const sLow = inside(0) ? 0 : bisectBoundary(inside, centre, 0);
  const sHigh = inside(t) ? t : bisectBoundary(inside, centre, t);
  const edge = (i: number): number =>
    i < 0 ? 0 : i >= h.boundsMs.length ? Number.POSITIVE_INFINITY : (h.boundsMs[i] as number);
  let first = -1;
  let last = -1;
  cumulative.forEach((c, i) => {
    const before = i === 0 ? 0 : (cumulative[i - 1] as number);
    if (c >= sLow && before <= sHigh) {
      if (first < 0) first = i;
      last = i;
    }
  });
  const rank = Math.ceil(q * t);
  const estimateIndex = cumulative.findIndex((c) => c >= rank);
  return { estimate: edge(estimateIndex), lower: edge(first - 1), upper: edge(last) };
}
