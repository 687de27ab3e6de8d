import { normalCdf, normalQuantile } from "../core/stats/index.js";
import { SimulationInputError } from "./errors.js";

/** A latency distribution as the filter's histogram sees it: the chance of landing in each bucket. */
export interface LatencyModel {
  /** Upper bounds in milliseconds, strictly increasing (as in a {@link LatencyHistogram}). */
  boundsMs: number[];
  /** One more entry than `boundsMs` (the last is above the top bound); sums to 1. */
  probs: number[];
}

/**
 * Log-normal latencies with the given median and log-scale spread, bucketed by `boundsMs`.
 *
 * @example lognormalLatency([10, 50], 12, 0.5).probs // [P(X ≤ 10), P(10 < X ≤ 50), P(X > 50)]
 */
export function lognormalLatency(
  boundsMs: number[],
  medianMs: number,
  sigma: number,
): LatencyModel {
  if (!(medianMs > 0)) throw new SimulationInputError(`medianMs must be > 0, got ${medianMs}`);
  if (!(sigma > 0)) throw new SimulationInputError(`sigma must be > 0, got ${sigma}`);
  boundsMs.forEach((b, i) => {
    if (!(b > 0) || (i > 0 && b <= (boundsMs[i - 1] as number)))
      throw new SimulationInputError(
        `boundsMs must be positive and strictly increasing, got ${b} at index ${i}`,
      );
  });
  const cdf = boundsMs.map((b) => normalCdf(Math.log(b / medianMs) / sigma));
  const probs = [...cdf, 1].map((c, i) => c - (i === 0 ? 0 : (cdf[i - 1] as number)));
  return { boundsMs: [...boundsMs], probs };
}

/**
 * Log-normal latencies whose share of requests slower than `thresholdMs` is exactly `shareAbove`
 * (e.g. 0.02 above 50 ms: a p99 above 50 ms). The median follows from the spread.
 */
export function latencyWithTail(
  boundsMs: number[],
  thresholdMs: number,
  shareAbove: number,
  sigma: number,
): LatencyModel {
  if (!(shareAbove > 0 && shareAbove < 1))
    throw new SimulationInputError(`shareAbove must be in (0, 1), got ${shareAbove}`);
  const median = thresholdMs / Math.exp(sigma * normalQuantile(1 - shareAbove));
  return lognormalLatency(boundsMs, median, sigma);
}
