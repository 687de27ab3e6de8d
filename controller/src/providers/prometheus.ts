import type { MetricDefinition } from "../core/experiment/index.js";
import type { MetricObservation, Observations, VersionObservation } from "../core/observations.js";
import { customMetricsOf, usesLatencyMean } from "./collect-request.js";
import { filledQueries } from "./custom-queries.js";
import { NoDataError, ProviderError } from "./errors.js";
import { boundOf } from "./histogram-bound.js";
import { observeBuiltins, type SeriesReader } from "./observe-builtins.js";
import { instantQuery, QueryFailure, type VectorSample } from "./prometheus-api.js";
import { bucketsQuery, sumQuery } from "./promql-queries.js";
import type { CollectRequest, MetricsProvider, VersionTarget } from "./provider.js";
import { allInOrder } from "./settle.js";

export interface PrometheusProviderOptions {
  /** Prometheus's base URL, e.g. http://prometheus.istio-system:9090 */
  url: string;
  /** Per query; default 10 s. */
  timeoutMs?: number;
}

/**
 * Builtin metrics by PromQL over the series the filter exports (and the mirror cluster's), and
 * custom metrics by the experiment's own queries, templated per version. Instant queries at the
 * request's `at`, all of one collect in parallel.
 */
export class PrometheusProvider implements MetricsProvider {
  readonly kind = "prometheus";
  constructor(private readonly opts: PrometheusProviderOptions) {}

  async collect(req: CollectRequest): Promise<Observations> {
    const withMean = usesLatencyMean(req.experiment.spec);
    const custom = customMetricsOf(req.experiment.spec);
    // Every template is filled before the first query, so a bad one fails the same way always.
    const plans = req.versions.map((v) => custom.map((m) => planCustom(req, v, m)));
    const observed = await allInOrder(
      req.versions.map(async (v, i) => {
        const [obs, ...metrics] = (await allInOrder<unknown>([
          observeBuiltins(req, v, this.reader(req), withMean),
          ...(plans[i] ?? []).map((plan) => this.custom(req, v.name, plan)),
        ])) as [VersionObservation, ...MetricObservation[]];
        return [v.name, withCustom(obs, custom, metrics)] as const;
      }),
    );
    return { elapsedSeconds: req.elapsedSeconds, versions: Object.fromEntries(observed) };
  }

  private reader(req: CollectRequest): SeriesReader {
    return {
      sum: async (s, metric, version) => {
        const found = await this.query(req, sumQuery(s), metric, version);
        return found === undefined ? undefined : single(found, sumQuery(s), metric, version);
      },
      buckets: async (s, metric, version) => {
        const found = (await this.query(req, bucketsQuery(s), metric, version)) ?? [];
        return found.map((b) => ({ le: boundOf(b.metric.le, metric, version), count: b.value }));
      },
    };
  }

  private async custom(
    req: CollectRequest,
    version: string,
    plan: CustomPlan,
  ): Promise<MetricObservation> {
    const values = await allInOrder(
      plan.queries.map(async ([part, query]) => {
        const found = await this.query(req, query, plan.metric.name, version);
        if (found === undefined)
          throw new NoDataError(
            plan.metric.name,
            version,
            `the ${part} query returned no series: ${query}`,
          );
        return single(found, query, plan.metric.name, version);
      }),
    );
    plan.queries.forEach(([part, query], i) => {
      const value = values[i] as number;
      if (part !== "sum" && value < 0)
        throw new ProviderError(
          plan.metric.name,
          version,
          `the ${part} query returned ${value}, expected a number ≥ 0: ${query}`,
        );
    });
    const [count, second, third] = values as [number, number, number?];
    // increase() extrapolates each query on its own, so successes can overshoot count a little.
    return plan.metric.type === "rate"
      ? { count, successes: Math.min(second, count) }
      : { count, sum: second, sumSquares: third ?? 0 };
  }

  /** The query's samples, undefined for an empty vector; failures become ProviderError. */
  private async query(
    req: CollectRequest,
    query: string,
    metric: string,
    version: string,
  ): Promise<VectorSample[] | undefined> {
    try {
      const q = { baseUrl: this.opts.url, query, timeoutMs: this.opts.timeoutMs ?? 10_000 };
      const found = await instantQuery({
        ...q,
        ...(req.at === undefined ? {} : { at: req.at }),
        ...(req.signal === undefined ? {} : { signal: req.signal }),
      });
      return found.length === 0 ? undefined : found;
    } catch (e) {
      if (!(e instanceof QueryFailure)) throw e;
      throw new ProviderError(metric, version, `${e.message} (query: ${query})`, { cause: e });
    }
  }
}

/** The one number a query must give: several series or NaN are the query's fault. */
function single(found: VectorSample[], query: string, metric: string, version: string): number {
  if (found.length > 1)
    throw new ProviderError(
      metric,
      version,
      `the query returned ${found.length} series, expected one (aggregate it, e.g. with sum): ${query}`,
    );
  const value = (found[0] as VectorSample).value;
  if (!Number.isFinite(value))
    throw new ProviderError(metric, version, `the query returned ${value}: ${query}`);
  return value;
}

function withCustom(
  obs: VersionObservation,
  defs: MetricDefinition[],
  values: MetricObservation[],
): VersionObservation {
  if (defs.length === 0) return obs;
  const metrics = { ...obs.metrics };
  defs.forEach((d, i) => {
    metrics[d.name] = values[i] as MetricObservation;
  });
  return { ...obs, metrics };
}

/** A custom metric's queries for one version, filled in: [part, query] in the order of the result. */
interface CustomPlan {
  metric: MetricDefinition;
  queries: [string, string][];
}

function planCustom(req: CollectRequest, v: VersionTarget, m: MetricDefinition): CustomPlan {
  return { metric: m, queries: filledQueries(req, v, m) };
}
