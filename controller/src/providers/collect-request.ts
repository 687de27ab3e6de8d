import {
  type ExperimentSpec,
  type MetricDefinition,
  resolveMetric,
  versionsOf,
} from "../core/experiment/index.js";
import type { CollectRequest, VersionTarget } from "./provider.js";

export interface CollectRequestOptions {
  elapsedSeconds: number;
  /** The experiment's name in the filter's config; defaults to the experiment's name. */
  filterExperiment?: string;
  /** Cluster name per version; a version's cluster defaults to its name. */
  clusters?: Record<string, string>;
  at?: Date;
  signal?: AbortSignal;
}

/** The {@link CollectRequest} for an experiment: the split's versions, then the mirror's. */
export function collectRequestFor(
  experiment: { name: string; spec: ExperimentSpec },
  opts: CollectRequestOptions,
): CollectRequest {
  const cluster = (name: string) => opts.clusters?.[name] ?? name;
  const versions: VersionTarget[] = versionsOf(experiment.spec).map((v) => ({
    name: v.name,
    variables: { ...v.variables },
    cluster: cluster(v.name),
    mirrored: false,
  }));
  const mirror = experiment.spec.traffic?.mirror;
  if (mirror !== undefined && !versions.some((v) => v.name === mirror.version)) {
    versions.push({
      name: mirror.version,
      variables: { ...mirror.variables },
      cluster: cluster(mirror.version),
      mirrored: true,
    });
  }
  const req: CollectRequest = {
    experiment,
    filterExperiment: opts.filterExperiment ?? experiment.name,
    versions,
    elapsedSeconds: opts.elapsedSeconds,
  };
  if (opts.at !== undefined) req.at = opts.at;
  if (opts.signal !== undefined) req.signal = opts.signal;
  return req;
}

/** Metric names the criteria use (objectives, then the reward), each once. */
function criteriaMetrics(spec: ExperimentSpec): string[] {
  const names = (spec.criteria.objectives ?? []).map((o) => o.metric);
  if (spec.criteria.reward !== undefined) names.push(spec.criteria.reward.metric);
  return [...new Set(names)];
}

/** True when the criteria use `latency-mean`, which needs a mean observation per version. */
export function usesLatencyMean(spec: ExperimentSpec): boolean {
  return criteriaMetrics(spec).includes("latency-mean");
}

/** The custom metrics the criteria use, as defined in `spec.metrics`. */
export function customMetricsOf(spec: ExperimentSpec): MetricDefinition[] {
  const out: MetricDefinition[] = [];
  for (const name of criteriaMetrics(spec)) {
    const m = resolveMetric(spec, name);
    if (m !== undefined && "custom" in m) out.push(m.custom);
  }
  return out;
}
