import type { Observations } from "../core/observations.js";
import { evaluateBuiltin, METRICS_URL_VARIABLE, planBuiltin } from "./builtin-custom.js";
import { customMetricsOf, usesLatencyMean } from "./collect-request.js";
import { fetchExposition } from "./exposition-fetch.js";
import type { Sample } from "./exposition-parse.js";
import { select, sumOf } from "./exposition-select.js";
import { boundOf } from "./histogram-bound.js";
import { observeBuiltins, type SeriesReader } from "./observe-builtins.js";
import type { CollectRequest, MetricsProvider, VersionTarget } from "./provider.js";
import { allInOrder } from "./settle.js";

export interface BuiltinProviderOptions {
  /** The stats endpoint: our sidecar's or Envoy's admin `/stats/prometheus`. */
  url: string;
  /** Per fetch; default 10 s. */
  timeoutMs?: number;
}

/** Name of the metrics one fetch serves, for errors about the fetch as a whole. */
const ALL_BUILTINS = "request-count, error-rate and latency";

/**
 * Reads the builtin metrics straight from a `/stats/prometheus` page — the filter's series for
 * the split's versions, the upstream cluster's for the mirrored one — and `provider: builtin`
 * custom metrics as selector sums over that page merged with each version's own metrics page
 * (`variables.metricsUrl`). One fetch of the stats page per collect, one of each version's page
 * when custom metrics are asked; no PromQL.
 */
export class BuiltinProvider implements MetricsProvider {
  readonly kind = "builtin";
  constructor(private readonly opts: BuiltinProviderOptions) {}

  async collect(req: CollectRequest): Promise<Observations> {
    const custom = customMetricsOf(req.experiment.spec);
    // Every query is filled and parsed before the first fetch, so a bad one fails the same way.
    const plans = req.versions.map((v) => custom.map((m) => planBuiltin(req, v, m)));
    const stats = await this.fetch(this.opts.url, ALL_BUILTINS, undefined, req.signal);
    const reader: SeriesReader = {
      sum: async (s) => sumOf(stats.samples, s),
      buckets: async (s, metric, version) =>
        select(stats.samples, s).map((b) => ({
          le: boundOf(b.labels.le, metric, version),
          count: b.value,
        })),
    };
    const withMean = usesLatencyMean(req.experiment.spec);
    const customNames = custom.map((m) => m.name).join(", ");
    const pages = await allInOrder(
      req.versions.map(async (v) =>
        custom.length === 0 ? undefined : this.appPage(v, customNames, req.signal),
      ),
    );
    const versions: Observations["versions"] = {};
    for (const [i, v] of req.versions.entries()) {
      const obs = await observeBuiltins(req, v, reader, withMean);
      const versionPlans = plans[i] ?? [];
      if (versionPlans.length > 0) {
        const page = pages[i];
        const samples = page === undefined ? stats.samples : [...stats.samples, ...page.samples];
        const sources = page === undefined ? this.opts.url : `${this.opts.url} and ${page.url}`;
        obs.metrics = { ...obs.metrics };
        for (const plan of versionPlans)
          obs.metrics[plan.metric.name] = evaluateBuiltin(plan, v.name, samples, sources);
      }
      versions[v.name] = obs;
    }
    return { elapsedSeconds: req.elapsedSeconds, versions };
  }

  /** The version's own metrics page, when its variables name one. */
  private async appPage(
    v: VersionTarget,
    metric: string,
    signal: AbortSignal | undefined,
  ): Promise<{ url: string; samples: Sample[] } | undefined> {
    const url = v.variables[METRICS_URL_VARIABLE];
    if (url === undefined) return undefined;
    return { url, samples: (await this.fetch(url, metric, v.name, signal)).samples };
  }

  private fetch(url: string, metric: string, version: string | undefined, signal?: AbortSignal) {
    return fetchExposition({
      url,
      metric,
      timeoutMs: this.opts.timeoutMs ?? 10_000,
      ...(version === undefined ? {} : { version }),
      ...(signal === undefined ? {} : { signal }),
    });
  }
}
