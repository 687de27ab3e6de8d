import type { CollectRequest, VersionTarget } from "./provider.js";

/** Label matchers of one series selection: each label must equal one of its values. */
export interface Selector {
  metric: string;
  labels: Record<string, string[]>;
}

/** Where one version's builtin numbers live in the exported series. */
export interface VersionSeries {
  /** Requests answered (any status), so the error rate's denominator holds no request in flight. */
  requests: Selector;
  /** 5xx responses; absent series mean none yet (Envoy creates `upstream_rq_5xx` lazily). */
  errors: Selector;
  /** A histogram's base name and labels: `_bucket` (by `le`), `_sum` and `_count` hang off it. */
  latency: Selector;
}

/**
 * The filter's series (docs/metrics.md; Istio's extraStatTags turn the embedded tags into
 * labels). Responses and durations count only the experiment's sample (participants), so
 * baseline traffic outside the segment, overrides and fallbacks stay out; counting responses,
 * not `cohort_requests_total`, keeps requests still in flight (a hanging version's) out of the
 * error rate's denominator.
 */
export const FILTER_SERIES = {
  responses: "cohort_responses_total",
  duration: "cohort_request_duration_ms",
} as const;

/**
 * Envoy's upstream cluster stats, as its admin `/stats/prometheus` names them after its default
 * tag extractors (well_known_names.cc): `cluster.v2.upstream_rq_completed` →
 * `envoy_cluster_upstream_rq_completed{envoy_cluster_name="v2"}` (answered requests, as above), `cluster.v2.upstream_rq_5xx` →
 * `envoy_cluster_upstream_rq_xx{envoy_response_code_class="5",envoy_cluster_name="v2"}` (the
 * per-code `upstream_rq_503` is `envoy_cluster_upstream_rq{envoy_response_code="503",...}`),
 * `cluster.v2.upstream_rq_time` → the `envoy_cluster_upstream_rq_time` histogram.
 */
export const ENVOY_CLUSTER_SERIES = {
  requests: "envoy_cluster_upstream_rq_completed",
  byClass: "envoy_cluster_upstream_rq_xx",
  time: "envoy_cluster_upstream_rq_time",
} as const;

/**
 * The series of `version`: the filter's for versions in the split; the upstream cluster's for
 * the mirrored version, whose responses the filter never sees (Envoy drops shadow responses
 * before the filter chain).
 */
export function versionSeries(req: CollectRequest, version: VersionTarget): VersionSeries {
  if (version.mirrored) {
    const cluster = { envoy_cluster_name: [version.cluster] };
    return {
      requests: { metric: ENVOY_CLUSTER_SERIES.requests, labels: cluster },
      errors: {
        metric: ENVOY_CLUSTER_SERIES.byClass,
        labels: { ...cluster, envoy_response_code_class: ["5"] },
      },
      latency: { metric: ENVOY_CLUSTER_SERIES.time, labels: cluster },
    };
  }
  const v = { cohort_experiment: [req.filterExperiment], cohort_version: [version.name] };
  return {
    requests: { metric: FILTER_SERIES.responses, labels: v },
    errors: { metric: FILTER_SERIES.responses, labels: { ...v, cohort_status_class: ["5xx"] } },
    latency: { metric: FILTER_SERIES.duration, labels: v },
  };
}

/** The same selection on another metric name (a histogram's `_bucket`, `_sum`, `_count`). */
export function suffixed(s: Selector, suffix: string): Selector {
  return { metric: `${s.metric}${suffix}`, labels: s.labels };
}
