import type { MeanObservation } from "../observations.js";
import { csVariance, summarizeMean } from "./counts.js";
import { requireCount, requireOpenUnit, requirePositive } from "./errors.js";
import type { Interval } from "./interval.js";
import {
  DEFAULT_MIN_COUNT,
  DEFAULT_TUNING_N,
  meanConfidenceSequence,
} from "./mean-confidence-sequence.js";

export interface DifferenceConfidenceOptions {
  alpha: number;
  /** Total sample size (both arms) where the sequence is tightest; default {@link DEFAULT_TUNING_N}. */
  tuningN?: number;
  /** Fewest observations per arm before the interval is finite; default {@link DEFAULT_MIN_COUNT}. */
  minCount?: number;
  /**
   * "asymptotic" (default for means): Waudby-Smith et al.'s asymptotic CS with both variances,
   * assuming a fixed randomisation. "split": each arm's own CS at α/2, [L_B − U_A, U_B − L_A],
   * which stays valid when weights adapt.
   */
  method?: "asymptotic" | "split";
}

/**
 * The half-width of the asymptotic confidence sequence for a difference (Waudby-Smith, Arbour,
 * Sinha, Kennedy & Ramdas 2021, as used by GrowthBook), for total count n, s² = n·SE² and
 * ρ² = (−2 ln α + ln(1 − 2 ln α)) / N*:
 *
 *   s · sqrt( 2(nρ² + 1)/(n²ρ²) · ln( sqrt(nρ² + 1)/α ) )
 *
 * @example asymptoticHalfWidth(2000, 0.0005, 0.05, 5000) // 0.06984982395677242
 */
export function asymptoticHalfWidth(
  n: number,
  standardError2: number,
  alpha: number,
  tuningN: number,
): number {
  const s = Math.sqrt(n * standardError2);
  const rho2 = (-2 * Math.log(alpha) + Math.log(1 - 2 * Math.log(alpha))) / tuningN;
  const nr = n * rho2 + 1;
  return s * Math.sqrt(((2 * nr) / (n * n * rho2)) * Math.log(Math.sqrt(nr) / alpha));
}

/**
 * A confidence sequence for the difference of means B − A (see {@link asymptoticHalfWidth};
 * `method: "split"` combines the two arms' {@link meanConfidenceSequence}s at α/2 each). With
 * fewer than `minCount` observations in either arm the interval is (−∞, ∞) (estimate NaN when an
 * arm has no data). Each arm's variance is floored as in {@link csVariance}, so constant arms never
 * give a zero-width interval (two all-zero arms give (−∞, ∞)).
 *
 * @example meanDifferenceConfidenceSequence({ count: 1000, sum: 1000, sumSquares: 2000 }, { count: 1000, sum: 1100, sumSquares: 2300 }, { alpha: 0.05 })
 * // { estimate: 0.10000000000000009, lower: -0.04287976020510115, upper: 0.24287976020510132 }
 */
export function meanDifferenceConfidenceSequence(
  a: MeanObservation,
  b: MeanObservation,
  opts: DifferenceConfidenceOptions,
): Interval {
  requireOpenUnit("alpha", opts.alpha);
  const tuningN = opts.tuningN ?? DEFAULT_TUNING_N;
  requirePositive("tuningN", tuningN);
  const minCount = opts.minCount ?? DEFAULT_MIN_COUNT;
  requireCount("minCount", minCount);
  if (opts.method === "split") {
    const half = { alpha: opts.alpha / 2, tuningN: tuningN / 2, minCount };
    return differenceOfIntervals(meanConfidenceSequence(a, half), meanConfidenceSequence(b, half));
  }
  const sa = summarizeMean(a, "a");
  const sb = summarizeMean(b, "b");
  const estimate = sb.mean - sa.mean;
  if (sa.count < Math.max(minCount, 1) || sb.count < Math.max(minCount, 1)) {
    return { estimate, lower: Number.NEGATIVE_INFINITY, upper: Number.POSITIVE_INFINITY };
  }
  const se2 = csVariance(sa) / sa.count + csVariance(sb) / sb.count;
  if (se2 === 0) {
    // both arms all zeros: no scale to judge a difference by
    return { estimate, lower: Number.NEGATIVE_INFINITY, upper: Number.POSITIVE_INFINITY };
  }
  const half = asymptoticHalfWidth(sa.count + sb.count, se2, opts.alpha, tuningN);
  return { estimate, lower: estimate - half, upper: estimate + half };
}

/** [L_B − U_A, U_B − L_A] around the difference of estimates: valid when each CS is. */
export function differenceOfIntervals(a: Interval, b: Interval): Interval {
  return { estimate: b.estimate - a.estimate, lower: b.lower - a.upper, upper: b.upper - a.lower };
}
