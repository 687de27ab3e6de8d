import type { ExperimentSpec } from "../core/experiment/index.js";
import type { Observations } from "../core/observations.js";

/** One version as the metrics sources know it. */
export interface VersionTarget {
  /** The version's name in the experiment (and the filter's `cohort_version` label). */
  name: string;
  /** Values for query templates (`{{ region }}`), from the version's spec. */
  variables: Record<string, string>;
  /** The upstream cluster that serves the version (`envoy_cluster_name`). */
  cluster: string;
  /**
   * A dark version that only receives mirrored copies: the filter never sees its responses, so
   * its requests, errors and latency come from its cluster's upstream stats.
   */
  mirrored: boolean;
}

/** What a provider needs to measure one experiment at one look. */
export interface CollectRequest {
  experiment: { name: string; spec: ExperimentSpec };
  /** The experiment's name in the filter's config: the `cohort_experiment` label. */
  filterExperiment: string;
  /** Every version to observe: the split's versions and the mirror's. */
  versions: VersionTarget[];
  /** Seconds since the experiment started; `{{ elapsed }}` in queries. */
  elapsedSeconds: number;
  /** When to evaluate (Prometheus's `time`); the source's present when absent. */
  at?: Date;
  signal?: AbortSignal;
}

/**
 * A source of {@link Observations} for an experiment (a port; one file per backend).
 *
 * Contract: counts are cumulative since the experiment's series began (never per interval), so
 * collecting twice with nothing new in between gives the same result — collect is idempotent and
 * has no side effects. Every version of the request appears in the result. A version whose
 * series do not exist yet raises {@link NoDataError} (hold: never promote on it); series that
 * exist with zero requests are data, reported as zeros. A source that fails or refuses a query
 * raises {@link ProviderError} naming the metric; a metric the provider cannot produce raises
 * {@link UnsupportedMetricError}.
 */
export interface MetricsProvider {
  readonly kind: string;
  collect(req: CollectRequest): Promise<Observations>;
}
