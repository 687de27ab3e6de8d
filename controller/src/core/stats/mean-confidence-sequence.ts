import type { MeanObservation } from "../observations.js";
import { csVariance, summarizeMean } from "./counts.js";
import { requireCount, requireOpenUnit, requirePositive } from "./errors.js";
import type { Interval } from "./interval.js";

/**
 * Default tuning sample size N*: the number of observations where a confidence sequence is
 * tightest (GrowthBook's default). Pass the fixed-horizon size when it is known.
 */
export const DEFAULT_TUNING_N = 5000;

/**
 * Fewest observations before a mean gets a finite interval. The plug-in variance ignores its own
 * estimation error, which only vanishes asymptotically; below this the interval is (−∞, ∞), so
 * thin data never decides.
 */
export const DEFAULT_MIN_COUNT = 30;

export interface MeanConfidenceOptions {
  alpha: number;
  /** Sample size where the sequence is tightest (ρ = σ²·N* / (2 ln(1/α) + ln(1 + 2 ln(1/α)))). */
  tuningN?: number;
  /** Fewest observations for a finite interval (default {@link DEFAULT_MIN_COUNT}). */
  minCount?: number;
  /** Lower bound on the per-observation variance used (default 0). */
  varianceFloor?: number;
}

/**
 * Half-width of Robbins' two-sided normal-mixture confidence sequence per unit standard deviation:
 * with σ = 1, V = t and r = N* / (2 ln(1/α) + ln(1 + 2 ln(1/α))),
 *
 *   sqrt((t + r)·(ln(1 + t/r) + 2·ln(1/α))) / t
 *
 * The digest's formula scales exactly with σ (V = σ²t and ρ = σ²r), so the half-width is σ times
 * this.
 *
 * @example normalMixtureHalfWidth(100, 0.05, 5000) // 0.6694388617066039
 */
export function normalMixtureHalfWidth(t: number, alpha: number, tuningN: number): number {
  const l = 2 * Math.log(1 / alpha);
  const r = tuningN / (l + Math.log(1 + l));
  return Math.sqrt((t + r) * (Math.log1p(t / r) + l)) / t;
}

/**
 * A confidence sequence for a mean: Robbins' normal mixture with a plug-in variance,
 *
 *   μ̂_t ± sqrt((V_t + ρ)·(ln(1 + V_t/ρ) + 2·ln(1/α))) / t,   V_t = σ̂²t,  ρ = σ̂²·N* / (2 ln(1/α) + ln(1 + 2 ln(1/α)))
 *
 * Exact for Gaussian data with known σ; with σ̂ (the sample standard deviation, floored at
 * `varianceFloor` and at {@link MIN_RELATIVE_SD}·|mean|, see {@link csVariance}) it is an
 * asymptotic confidence sequence (Waudby-Smith et al. 2021): valid as the count grows, not at
 * every small n — hence {@link DEFAULT_MIN_COUNT}. Constant data therefore never gets a zero-width
 * interval; all-zero data (no scale) gets (−∞, ∞).
 *
 * No data: estimate NaN and (−∞, ∞); fewer than `minCount` values: the mean and (−∞, ∞).
 *
 * @example meanConfidenceSequence({ count: 100, sum: 1000, sumSquares: 10396 }, { alpha: 0.05 })
 * // { estimate: 10, lower: 8.661122276586791, upper: 11.338877723413209 } (σ̂ = 2)
 */
export function meanConfidenceSequence(o: MeanObservation, opts: MeanConfidenceOptions): Interval {
  requireOpenUnit("alpha", opts.alpha);
  const tuningN = opts.tuningN ?? DEFAULT_TUNING_N;
  requirePositive("tuningN", tuningN);
  const minCount = opts.minCount ?? DEFAULT_MIN_COUNT;
  requireCount("minCount", minCount);
  const floor = opts.varianceFloor ?? 0;
  requireCount("varianceFloor", floor);
  const { count, mean, variance } = summarizeMean(o);
  if (count < Math.max(minCount, 1)) {
    return { estimate: mean, lower: Number.NEGATIVE_INFINITY, upper: Number.POSITIVE_INFINITY };
  }
  const v = csVariance({ count, mean, variance }, floor);
  if (v === 0) {
    // every value 0 and no floor: no scale to judge by
    return { estimate: mean, lower: Number.NEGATIVE_INFINITY, upper: Number.POSITIVE_INFINITY };
  }
  const sd = Math.sqrt(v);
  const half = sd * normalMixtureHalfWidth(count, opts.alpha, tuningN);
  return { estimate: mean, lower: mean - half, upper: mean + half };
}
