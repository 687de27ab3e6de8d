/**
 * The demo's metrics provider: the builtin provider for the filter's and Envoy's series, plus the
 * experiment's custom metrics read from each version's own `/metrics` page — what Istio's metrics
 * merging does (the sidecar's stats and the app's in one scrape). A custom metric's queries are
 * plain series selections here, `sum(name{label="value"})` or `name{...}`, templated as for
 * Prometheus; anything else is a ProviderError naming the metric.
 */
import type { ExperimentSpec, MetricDefinition } from "../core/experiment/index.js";
import type { MetricObservation, Observations } from "../core/observations.js";
import { customMetricsOf } from "../providers/collect-request.js";
import { parseExposition, type Sample } from "../providers/exposition-parse.js";
import { sumOf } from "../providers/exposition-select.js";
import {
  BuiltinProvider,
  type CollectRequest,
  type MetricsProvider,
  NoDataError,
  ProviderError,
  renderTemplate,
} from "../providers/index.js";
import type { Selector } from "../providers/series.js";

export interface AppMetricsProviderOptions {
  /** The sidecar's `/stats/prometheus`. */
  statsUrl: string;
  /** Each version's own metrics page, e.g. `http://127.0.0.1:9002/metrics`. */
  pages: Record<string, string>;
  timeoutMs?: number;
}

const SELECTION = /^\s*(?:sum\s*\(\s*)?([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?:\{([^}]*)\})?\s*\)?\s*$/;
const MATCHER = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;

/** `sum(name{a="x",b="y"})` → a selector; undefined when the query is not such a selection. */
export function parseSelection(query: string): Selector | undefined {
  const m = SELECTION.exec(query);
  if (m === null) return undefined;
  const open = query.includes("sum(") || query.includes("sum (");
  if (open !== /\)\s*$/.test(query)) return undefined;
  const labels: Record<string, string[]> = {};
  const body = (m[2] ?? "").trim();
  MATCHER.lastIndex = 0;
  while (MATCHER.lastIndex < body.length) {
    const start = MATCHER.lastIndex;
    const l = MATCHER.exec(body);
    if (l === null || MATCHER.lastIndex === start) return undefined;
    labels[l[1] as string] = [(l[2] as string).replace(/\\(.)/g, "$1")];
  }
  return { metric: m[1] as string, labels };
}

function withoutCustom(spec: ExperimentSpec): ExperimentSpec {
  const custom = new Set(customMetricsOf(spec).map((m) => m.name));
  const { reward, objectives, ...criteria } = spec.criteria;
  return {
    ...spec,
    criteria: {
      ...criteria,
      ...(objectives === undefined
        ? {}
        : { objectives: objectives.filter((o) => !custom.has(o.metric)) }),
      ...(reward === undefined || custom.has(reward.metric) ? {} : { reward }),
    },
    metrics: [],
  };
}

const QUERIES = { rate: ["count", "successes"], mean: ["count", "sum", "sumSquares"] } as const;

export class AppMetricsProvider implements MetricsProvider {
  readonly kind = "app-metrics";
  private readonly builtin: BuiltinProvider;
  constructor(private readonly opts: AppMetricsProviderOptions) {
    this.builtin = new BuiltinProvider({
      url: opts.statsUrl,
      ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
    });
  }

  async collect(req: CollectRequest): Promise<Observations> {
    const custom = customMetricsOf(req.experiment.spec);
    const spec = withoutCustom(req.experiment.spec);
    const obs = await this.builtin.collect({ ...req, experiment: { ...req.experiment, spec } });
    if (custom.length === 0) return obs;
    for (const v of req.versions) {
      const samples = await this.page(v.name, custom[0] as MetricDefinition, req.signal);
      const metrics: Record<string, MetricObservation> = {};
      for (const m of custom) {
        const values: Record<string, number> = {};
        for (const q of QUERIES[m.type]) {
          const template = m[q];
          if (template === undefined)
            throw new ProviderError(m.name, v.name, `the metric has no ${q} query`);
          const query = renderTemplate(template, {
            metric: m.name,
            version: v.name,
            name: req.experiment.name,
            elapsedSeconds: req.elapsedSeconds,
            variables: v.variables,
          });
          const selector = parseSelection(query);
          if (selector === undefined)
            throw new ProviderError(
              m.name,
              v.name,
              `the app's metrics page answers series selections only, e.g. sum(orders_total{version="v2"}); got ${query}`,
            );
          const value = sumOf(samples, selector);
          if (value === undefined)
            throw new NoDataError(m.name, v.name, `the ${q} query found no series: ${query}`);
          values[q] = value;
        }
        metrics[m.name] =
          m.type === "rate"
            ? {
                count: values.count ?? 0,
                successes: Math.min(values.successes ?? 0, values.count ?? 0),
              }
            : {
                count: values.count ?? 0,
                sum: values.sum ?? 0,
                sumSquares: values.sumSquares ?? 0,
              };
      }
      const o = obs.versions[v.name];
      if (o !== undefined) o.metrics = { ...o.metrics, ...metrics };
    }
    return obs;
  }

  private async page(
    version: string,
    m: MetricDefinition,
    signal?: AbortSignal,
  ): Promise<Sample[]> {
    const url = this.opts.pages[version];
    if (url === undefined)
      throw new ProviderError(m.name, version, "no metrics page is known for this version");
    try {
      const timeout = AbortSignal.timeout(this.opts.timeoutMs ?? 10_000);
      const res = await fetch(url, {
        signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`HTTP ${res.status}: ${text.slice(0, 200)}`);
      return parseExposition(text).samples;
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      throw new ProviderError(m.name, version, `GET ${url}: ${(e as Error).message}`, { cause: e });
    }
  }
}
