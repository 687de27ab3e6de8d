/**
 * What the controller sees of each version at one look: cumulative since the experiment started.
 * This is the `--observations` file of `cohort analyze` and what metrics providers return.
 */
export interface LatencyHistogram {
  /** Upper bounds of the buckets in milliseconds, strictly increasing. */
  boundsMs: number[];
  /** Requests per bucket (not cumulative); one more entry than `boundsMs`: the last is above the top bound. */
  counts: number[];
}

/** A rate metric: `successes` out of `count`. */
export interface RateObservation {
  count: number;
  successes: number;
}

/** A mean metric: `count` values with their `sum` and `sumSquares`. */
export interface MeanObservation {
  count: number;
  sum: number;
  sumSquares: number;
}

export type MetricObservation = RateObservation | MeanObservation;

export interface VersionObservation {
  requests: number;
  /** Responses with a 5xx status (or a failed upstream). */
  errors: number;
  latency?: LatencyHistogram;
  /** Custom metrics by name (as named in the experiment's `metrics`). */
  metrics?: Record<string, MetricObservation>;
}

export interface Observations {
  elapsedSeconds: number;
  currentWeights?: Record<string, number>;
  versions: Record<string, VersionObservation>;
}
