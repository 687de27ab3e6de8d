import type { LatencyModel } from "./latency-model.js";

/** A per-request rate metric (e.g. conversion): each request succeeds with probability `p`. */
export interface RateTruth {
  type: "rate";
  p: number;
}

/** A per-request value (e.g. revenue) drawn from Normal(mean, sd²). */
export interface MeanTruth {
  type: "mean";
  mean: number;
  sd: number;
}

export type MetricTruth = RateTruth | MeanTruth;

/** How one version truly behaves: what the simulated requests are drawn from. */
export interface VersionTruth {
  /** Chance that a request fails (5xx). */
  errorRate: number;
  latency: LatencyModel;
  /** Custom metrics by the name the experiment uses; one value per request. */
  metrics?: Record<string, MetricTruth>;
}

/** The world a simulated experiment runs in. */
export interface SimScenario {
  /** Versions by name, baseline first. */
  versions: Record<string, VersionTruth>;
  /** Requests reaching the target in one interval, split by the weights in force. */
  requestsPerInterval: number;
  intervalSeconds: number;
  /**
   * Requests are drawn in blocks of this many (one set of binomial draws per block); a version's
   * share of an interval is rounded to whole blocks. Default 50.
   */
  blockSize?: number;
}

export const DEFAULT_BLOCK_SIZE = 50;
