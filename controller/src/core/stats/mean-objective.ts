import type { MeanObservation } from "../observations.js";
import { type MeanConfidenceOptions, meanConfidenceSequence } from "./mean-confidence-sequence.js";
import {
  type ObjectiveLimits,
  type ObjectiveResult,
  requireLimits,
  statusFromInterval,
} from "./objective-status.js";

/**
 * Assesses a mean objective (mean latency ≤ 50 ms) from the {@link meanConfidenceSequence}.
 * Fewer than `minCount` values (default 30) give an infinite interval: "undecided".
 *
 * @example meanObjective({ count: 100, sum: 1000, sumSquares: 10396 }, { upperLimit: 12 }, { alpha: 0.05 })
 * // { status: "pass", interval: { estimate: 10, lower: 8.661122276586791, upper: 11.338877723413209 } }
 */
export function meanObjective(
  o: MeanObservation,
  limits: ObjectiveLimits,
  opts: MeanConfidenceOptions,
): ObjectiveResult {
  requireLimits(limits);
  const interval = meanConfidenceSequence(o, opts);
  return { status: statusFromInterval(interval, limits), interval };
}
