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
 * Mean and variance from running sums. The variance uses Σx² − n·x̄², clamped at 0 because
 * rounding can make it slightly negative when all values are (nearly) equal.
 *
 * @example summarizeMean({ count: 4, sum: 10, sumSquares: 30 }) // { count: 4, mean: 2.5, variance: 1.6666666666666667 }
 */
export function summarizeMean(o: MeanObservation, field = "mean"): MeanSummary {
  requireCount(`${field}.count`, o.count);
  requireFinite(`${field}.sum`, o.sum);
  requireCount(`${field}.sumSquares`, o.sumSquares);
  if (o.count === 0) return { count: 0, mean: Number.NaN, variance: 0 };
  const mean = o.sum / o.count;
  if (o.count < 2) return { count: o.count, mean, variance: 0 };
  const ss = o.sumSquares - o.sum * mean;
  // Relative rounding of Σx² is ~1e-16·Σx²; anything below that scale is zero variance.
  const variance = ss > 1e-12 * o.sumSquares ? ss / (o.count - 1) : 0;
  return { count: o.count, mean, variance };
}
