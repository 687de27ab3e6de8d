import { type RateCounts, rateCounts } from "./counts.js";
import { requireOpenUnit, requirePositive } from "./errors.js";
import type { Interval } from "./interval.js";
import { DEFAULT_MIN_COUNT, DEFAULT_TUNING_N } from "./mean-confidence-sequence.js";
import {
  asymptoticHalfWidth,
  type DifferenceConfidenceOptions,
  differenceOfIntervals,
} from "./mean-difference-confidence-sequence.js";
import { type BetaPrior, requirePrior, UNIFORM_PRIOR } from "./prior.js";
import { rateInterval } from "./rate-confidence-sequence.js";

export interface RateDifferenceOptions extends Omit<DifferenceConfidenceOptions, "method"> {
  /**
   * "split" (default for rates): each arm's beta-binomial CS at α/2, [L_B − U_A, U_B − L_A] —
   * non-asymptotic, valid under adaptive weights, sane at 0 and all successes. "asymptotic":
   * Waudby-Smith et al.'s CS with Bernoulli variances p̂(1 − p̂), assuming a fixed randomisation
   * (narrower, but it needs `minCount` trials per arm and at least one success and one failure).
   */
  method?: "asymptotic" | "split";
  /** Mixing prior of each arm's CS for "split"; default Beta(1, 1). */
  prior?: BetaPrior;
}

/**
 * A confidence sequence for the difference of rates B − A. No trials in an arm: estimate NaN and
 * [−1, 1].
 *
 * @example rateDifferenceConfidenceSequence({ successes: 50, trials: 1000 }, { successes: 80, trials: 1000 }, { alpha: 0.05 })
 * // { estimate: 0.03, lower: -0.030942757116281444, upper: 0.09009721007314513 }
 */
export function rateDifferenceConfidenceSequence(
  a: RateCounts,
  b: RateCounts,
  opts: RateDifferenceOptions,
): Interval {
  requireOpenUnit("alpha", opts.alpha);
  const ra = rateCounts(a, "a");
  const rb = rateCounts(b, "b");
  const prior = opts.prior ?? UNIFORM_PRIOR;
  requirePrior(prior);
  const full = { estimate: Number.NaN, lower: -1, upper: 1 };
  if (ra.trials === 0 || rb.trials === 0) return full;
  if (opts.method === "asymptotic") {
    const tuningN = opts.tuningN ?? DEFAULT_TUNING_N;
    requirePositive("tuningN", tuningN);
    const pa = ra.successes / ra.trials;
    const pb = rb.successes / rb.trials;
    const minCount = Math.max(opts.minCount ?? DEFAULT_MIN_COUNT, 1);
    const se2 = (pa * (1 - pa)) / ra.trials + (pb * (1 - pb)) / rb.trials;
    if (ra.trials < minCount || rb.trials < minCount || se2 === 0) {
      return { estimate: pb - pa, lower: -1, upper: 1 };
    }
    const half = asymptoticHalfWidth(ra.trials + rb.trials, se2, opts.alpha, tuningN);
    const estimate = pb - pa;
    return { estimate, lower: Math.max(-1, estimate - half), upper: Math.min(1, estimate + half) };
  }
  return differenceOfIntervals(
    rateInterval(ra.successes, ra.trials, opts.alpha / 2, prior),
    rateInterval(rb.successes, rb.trials, opts.alpha / 2, prior),
  );
}
