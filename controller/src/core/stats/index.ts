/** Anytime-valid statistics for Cohort's decisions: pure, deterministic, dependency-free. */
export {
  BISECTION_MAX_ITERATIONS,
  BISECTION_RELATIVE_TOLERANCE,
  bisectBoundary,
} from "./bisect.js";
export { bonferroni } from "./bonferroni.js";
export {
  csVariance,
  impossibleSumSquares,
  type MeanSummary,
  MIN_RELATIVE_SD,
  type RateCounts,
  rateCounts,
  SUM_SQUARES_TOLERANCE,
  summarizeMean,
  trialsOf,
} from "./counts.js";
export { isStatisticsInputError, StatisticsInputError } from "./errors.js";
export {
  fixedHorizonSampleSize,
  type MeansDesign,
  type ProportionsDesign,
} from "./fixed-horizon-sample-size.js";
export { cumulativeCounts } from "./histogram.js";
export type { Interval } from "./interval.js";
export { lnBeta } from "./ln-beta.js";
export { lnGamma } from "./ln-gamma.js";
export {
  DEFAULT_MIN_COUNT,
  DEFAULT_TUNING_N,
  type MeanConfidenceOptions,
  meanConfidenceSequence,
  normalMixtureHalfWidth,
} from "./mean-confidence-sequence.js";
export { meanDifferenceAlwaysValidPValue } from "./mean-difference-always-valid-p-value.js";
export {
  asymptoticHalfWidth,
  type DifferenceConfidenceOptions,
  differenceOfIntervals,
  meanDifferenceConfidenceSequence,
} from "./mean-difference-confidence-sequence.js";
export { meanObjective } from "./mean-objective.js";
export { normalCdf, normalPdf, normalSurvival } from "./normal-cdf.js";
export { normalQuantile } from "./normal-quantile.js";
export {
  type ObjectiveLimits,
  type ObjectiveResult,
  type ObjectiveStatus,
  requireLimits,
  statusFromInterval,
} from "./objective-status.js";
export {
  type BetaPrior,
  DEFAULT_PRIOR_STRENGTH,
  priorForLimit,
  UNIFORM_PRIOR,
} from "./prior.js";
export {
  type ArmObservation,
  probabilityBest,
  type ThompsonOptions,
  type ThompsonTally,
  thompsonTally,
} from "./probability-best.js";
export { quantileConfidenceSequence } from "./quantile-confidence-sequence.js";
export { type QuantileObjectiveResult, quantileObjective } from "./quantile-objective.js";
export { rateAlwaysValidPValue } from "./rate-always-valid-p-value.js";
export {
  type RateConfidenceOptions,
  rateConfidenceSequence,
  rateInterval,
} from "./rate-confidence-sequence.js";
export {
  type RateDifferenceOptions,
  rateDifferenceConfidenceSequence,
} from "./rate-difference-confidence-sequence.js";
export { rateLogMarginal, rateLogMartingale } from "./rate-log-martingale.js";
export { rateObjective } from "./rate-objective.js";
export { regularizedIncompleteBeta } from "./regularized-incomplete-beta.js";
export { createRng, type Rng, type RngState, restoreRng } from "./rng.js";
export { studentTTwoSided } from "./student-t.js";
export { topTwoThompsonShares } from "./top-two-thompson-shares.js";
export { twoProportionZTest } from "./two-proportion-z-test.js";
export { welchTTest } from "./welch-t-test.js";
