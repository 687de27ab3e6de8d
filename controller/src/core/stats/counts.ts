import type { MeanObservation, RateObservation } from "../observations.js";
import { requireCount, requireFinite, StatisticsInputError } from "./errors.js";

/**
 * Successes out of trials. Accepts the shared observation shape (`count`) or `trials`, so callers
 * can pass a {@link RateObservation} straight through.
 */
export type RateCounts = { successes: number; trials: number } | RateObservation;

/** The number of trials of a rate, whichever field carries it. @example trialsOf({ successes: 3, count: 40 }) // 40 */
export function trialsOf(o: RateCounts): number {
  return "trials" in o ? o.trials : o.count;
}

/** Validated successes and trials (`field` names the argument in errors). */
export function rateCounts(o: RateCounts, field = "rate"): { successes: number; trials: number } {
  const trials = trialsOf(o);
  requireCount(`${field}.trials`, trials);
  requireCount(`${field}.successes`, o.successes);
  if (o.successes > trials) {
    throw new StatisticsInputError(
      `${field}.successes (${o.successes}) must not exceed ${field}.trials (${trials})`,
    );
  }
  return { successes: o.successes, trials };
}

/** Count, mean and unbiased sample variance of a {@link MeanObservation}. */
export interface MeanSummary {
  count: number;
  mean: number;
  /** Unbiased sample variance (divisor n − 1); 0 for fewer than two values. */
  variance: number;
}

/**
 * Relative tolerance for Σx² below Σ²/n: real values always have Σx² ≥ (Σx)²/n, equal only when
 * every value is the same; rounding of running sums can undershoot by ~1e-16 relative, so anything
 * further below is impossible input (e.g. `sumSquares: 0` with a non-zero sum).
 */
export const SUM_SQUARES_TOLERANCE = 1e-9;

/**
 * Undershoot of Σx² below (Σx)²/n beyond {@link SUM_SQUARES_TOLERANCE}, as a message, or
 * undefined when the three sums can come from real values.
 *
 * @example impossibleSumSquares(30, 300, 0) // "sumSquares (0) is less than sum²/count (3000), which no real values give"
 */
export function impossibleSumSquares(
  count: number,
  sum: number,
  sumSquares: number,
): string | undefined {
  if (count <= 0) return undefined;
  const least = (sum * sum) / count;
  if (least - sumSquares <= SUM_SQUARES_TOLERANCE * Math.max(least, sumSquares)) return undefined;
  return `sumSquares (${sumSquares}) is less than sum²/count (${least}), which no real values give`;
}

/**
 * Mean and variance from running sums. The variance uses Σx² − n·x̄², clamped at 0 because
 * rounding can make it slightly negative when all values are (nearly) equal. Σx² below (Σx)²/n by
 * more than rounding ({@link impossibleSumSquares}) throws a {@link StatisticsInputError}.
 *
 * @example summarizeMean({ count: 4, sum: 10, sumSquares: 30 }) // { count: 4, mean: 2.5, variance: 1.6666666666666667 }
 */
export function summarizeMean(o: MeanObservation, field = "mean"): MeanSummary {
  requireCount(`${field}.count`, o.count);
  requireFinite(`${field}.sum`, o.sum);
  requireCount(`${field}.sumSquares`, o.sumSquares);
  const impossible = impossibleSumSquares(o.count, o.sum, o.sumSquares);
  if (impossible !== undefined) throw new StatisticsInputError(`${field}.${impossible}`);
  if (o.count === 0) return { count: 0, mean: Number.NaN, variance: 0 };
  const mean = o.sum / o.count;
  if (o.count < 2) return { count: o.count, mean, variance: 0 };
  const ss = o.sumSquares - o.sum * mean;
  // Relative rounding of Σx² is ~1e-16·Σx²; anything below that scale is zero variance.
  const variance = ss > 1e-12 * o.sumSquares ? ss / (o.count - 1) : 0;
  return { count: o.count, mean, variance };
}

/**
 * Smallest standard deviation a confidence sequence plugs in, relative to |mean|: a plug-in σ̂ of
 * (nearly) 0 — constant data — would give a zero-width interval and decide at `minCount` values.
 */
export const MIN_RELATIVE_SD = 0.01;

/**
 * The variance a confidence sequence uses: the plug-in variance, floored at `floor` and at
 * (MIN_RELATIVE_SD·|mean|)². 0 only when every value is 0 and `floor` is 0 — no scale to judge by,
 * so callers return an unbounded interval.
 *
 * @example csVariance({ count: 30, mean: 10, variance: 0 }) // 0.010000000000000002
 */
export function csVariance(s: MeanSummary, floor = 0): number {
  const relative = MIN_RELATIVE_SD * Math.abs(s.mean);
  return Math.max(s.variance, floor, relative * relative);
}
