import type { ExperimentSpec, MetricDefinition } from "./schema.js";

/** What a builtin metric measures, which decides how it is estimated and what it may be used for. */
export type BuiltinKind = "count" | "rate" | "mean" | "quantile";

/** A metric the filter reports by itself: no definition needed in `spec.metrics`. */
export interface BuiltinMetric {
  name: string;
  kind: BuiltinKind;
  /** For quantiles: the probability, e.g. 0.99 for p99. */
  q?: number;
  units: string;
  description: string;
}

function quantile(name: string, q: number): BuiltinMetric {
  const pct = String(q * 100);
  return {
    name,
    kind: "quantile",
    q,
    units: "ms",
    description: `${pct}% of requests finish within this many milliseconds (from the duration histogram).`,
  };
}

/** The builtin metrics, from the filter's request counter, 5xx counter and duration histogram. */
export const BUILTIN_METRICS: Record<string, BuiltinMetric> = {
  "request-count": {
    name: "request-count",
    kind: "count",
    units: "requests",
    description: "Requests the version served.",
  },
  "error-rate": {
    name: "error-rate",
    kind: "rate",
    units: "fraction",
    description: "Share of requests answered with a 5xx status (or failed upstream), 0 to 1.",
  },
  "latency-mean": {
    name: "latency-mean",
    kind: "mean",
    units: "ms",
    description: "Mean request duration in milliseconds.",
  },
  "latency-p50": quantile("latency-p50", 0.5),
  "latency-p90": quantile("latency-p90", 0.9),
  "latency-p95": quantile("latency-p95", 0.95),
  "latency-p99": quantile("latency-p99", 0.99),
  "latency-p999": quantile("latency-p999", 0.999),
};

/** A metric name resolved: a builtin, or a custom metric defined in `spec.metrics`. */
export type ResolvedMetric = { builtin: BuiltinMetric } | { custom: MetricDefinition };

/** Finds `name` among the builtins, then in `spec.metrics`; undefined when it is neither. */
export function resolveMetric(
  spec: Pick<ExperimentSpec, "metrics">,
  name: string,
): ResolvedMetric | undefined {
  const builtin = Object.hasOwn(BUILTIN_METRICS, name) ? BUILTIN_METRICS[name] : undefined;
  if (builtin !== undefined) return { builtin };
  const custom = spec.metrics?.find((m) => m.name === name);
  return custom === undefined ? undefined : { custom };
}

/** The kind of a resolved metric: builtins carry theirs, custom metrics are `rate` or `mean`. */
export function metricKind(metric: ResolvedMetric): BuiltinKind {
  return "builtin" in metric ? metric.builtin.kind : metric.custom.type;
}
