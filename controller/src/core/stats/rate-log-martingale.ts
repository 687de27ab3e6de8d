import { lnBeta } from "./ln-beta.js";
import type { BetaPrior } from "./prior.js";

/**
 * The log of Robbins' beta-binomial mixture martingale for H0: rate = p after `successes` out of
 * `trials`, with a Beta(a, b) mixing prior:
 *
 *   log M_t(p) = lnB(a + S, b + t − S) − lnB(a, b) − S·ln p − (t − S)·ln(1 − p)
 *
 * Under H0 it is a nonnegative martingale starting at 1 (log 0), so by Ville's inequality it
 * ever reaches ln(1/α) with probability ≤ α. Inputs are not validated (hot path); see
 * {@link rateConfidenceSequence}. Terms 0·ln 0 count as 0.
 *
 * @example rateLogMartingale(0.01, 5, 100, { a: 0.5, b: 49.5 }) // 1.8768367516994644
 */
export function rateLogMartingale(
  p: number,
  successes: number,
  trials: number,
  prior: BetaPrior,
): number {
  const failures = trials - successes;
  return (
    rateLogMarginal(successes, trials, prior) -
    (successes === 0 ? 0 : successes * Math.log(p)) -
    (failures === 0 ? 0 : failures * Math.log1p(-p))
  );
}

/** The p-free part lnB(a + S, b + t − S) − lnB(a, b), computed once per confidence sequence. */
export function rateLogMarginal(successes: number, trials: number, prior: BetaPrior): number {
  return lnBeta(prior.a + successes, prior.b + trials - successes) - lnBeta(prior.a, prior.b);
}
