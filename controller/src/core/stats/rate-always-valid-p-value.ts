import { type RateCounts, rateCounts } from "./counts.js";
import { requireOpenUnit } from "./errors.js";
import { type BetaPrior, requirePrior, UNIFORM_PRIOR } from "./prior.js";
import { rateLogMartingale } from "./rate-log-martingale.js";

/**
 * The always-valid p-value for H0: rate = p0 at one look, min(1, 1/M_t(p0)) with Robbins'
 * beta-binomial mixture. Rejecting when it is ≤ α is the same as p0 falling outside the
 * {@link rateConfidenceSequence} at α. Over time the caller keeps the running minimum, which
 * stays valid (Ville's inequality): P(ever ≤ α) ≤ α under H0.
 *
 * @example rateAlwaysValidPValue({ successes: 30, trials: 1000 }, 0.01, { a: 0.5, b: 49.5 })
 * // 0.000026966027214657752
 */
export function rateAlwaysValidPValue(
  o: RateCounts,
  p0: number,
  prior: BetaPrior = UNIFORM_PRIOR,
): number {
  requireOpenUnit("p0", p0);
  requirePrior(prior);
  const { successes, trials } = rateCounts(o);
  const logM = rateLogMartingale(p0, successes, trials, prior);
  return logM <= 0 ? 1 : Math.exp(-logM);
}
