import { bisectBoundary } from "./bisect.js";
import { type RateCounts, rateCounts } from "./counts.js";
import { requireOpenUnit } from "./errors.js";
import type { Interval } from "./interval.js";
import { type BetaPrior, requirePrior, UNIFORM_PRIOR } from "./prior.js";
import { rateLogMarginal } from "./rate-log-martingale.js";

export interface RateConfidenceOptions {
  /** Error level: the sequence covers the true rate at every look with probability ≥ 1 − alpha. */
  alpha: number;
  /** Mixing prior; changes speed, never validity. Default Beta(1, 1). */
  prior?: BetaPrior;
}

/**
 * A confidence sequence for a rate: {p : log M_t(p) < ln(1/α)} for Robbins' beta-binomial
 * mixture martingale ({@link rateLogMartingale}). Valid at every look simultaneously, for any
 * stopping rule. The set is an interval around p̂ = S/t (log M is convex in p); each end is found
 * by bisection on (0, p̂) and (p̂, 1) to a relative tolerance of 1e-10, rounded outward.
 *
 * No trials: estimate NaN and [0, 1]. No successes: lower end 0. All successes: upper end 1.
 *
 * @example rateConfidenceSequence({ successes: 5, trials: 100 }, { alpha: 0.05 })
 * // { estimate: 0.05, lower: 0.006577126166303061, upper: 0.16025887377618347 }
 */
export function rateConfidenceSequence(o: RateCounts, opts: RateConfidenceOptions): Interval {
  requireOpenUnit("alpha", opts.alpha);
  const prior = opts.prior ?? UNIFORM_PRIOR;
  requirePrior(prior);
  const { successes: s, trials: t } = rateCounts(o);
  return rateInterval(s, t, opts.alpha, prior);
}

/** {@link rateConfidenceSequence} without validation, for callers that validated already. */
export function rateInterval(s: number, t: number, alpha: number, prior: BetaPrior): Interval {
  if (t === 0) return { estimate: Number.NaN, lower: 0, upper: 1 };
  const threshold = Math.log(1 / alpha);
  const marginal = rateLogMarginal(s, t, prior);
  const f = t - s;
  // inside(p) ⇔ log M_t(p) < ln(1/α), written to avoid 0·ln 0.
  const inside = (p: number): boolean =>
    marginal - (s === 0 ? 0 : s * Math.log(p)) - (f === 0 ? 0 : f * Math.log1p(-p)) < threshold;
  const estimate = s / t;
  // At p = 0 (S = 0) or p = 1 (S = t) the martingale is exp(marginal) < 1, always inside.
  const lower = s === 0 ? 0 : bisectBoundary(inside, estimate, 0);
  const upper = f === 0 ? 1 : bisectBoundary(inside, estimate, 1);
  return { estimate, lower, upper };
}
