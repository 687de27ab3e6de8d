import type { Observations } from "../core/observations.js";
import { customMetricsOf, usesLatencyMean } from "./collect-request.js";
import { fetchFailure, throwIfCancelled, withTimeout } from "./describe-cause.js";
import { ProviderError, UnsupportedMetricError } from "./errors.js";
import { type Exposition, ExpositionError, parseExposition } from "./exposition-parse.js";
import { select, sumOf } from "./exposition-select.js";
import { boundOf } from "./histogram-bound.js";
import { observeBuiltins, type SeriesReader } from "./observe-builtins.js";
import type { CollectRequest, MetricsProvider } from "./provider.js";

export interface BuiltinProviderOptions {
  /** The stats endpoint: our sidecar's or Envoy's admin `/stats/prometheus`. */
  url: string;
  /** Per collect; default 10 s. */
  timeoutMs?: number;
}

/** Name of the metrics one fetch serves, for errors about the fetch as a whole. */
const ALL_BUILTINS = "request-count, error-rate and latency";

/**
 * Reads the builtin metrics straight from a `/stats/prometheus` page — the filter's series for
 * the split's versions, the upstream cluster's for the mirrored one. One fetch per collect; no
 * PromQL, so custom metrics (which are queries) cannot come from here.
 */
export class BuiltinProvider implements MetricsProvider {
  readonly kind = "builtin";
  constructor(private readonly opts: BuiltinProviderOptions) {}

  async collect(req: CollectRequest): Promise<Observations> {
    const custom = customMetricsOf(req.experiment.spec)[0];
    if (custom !== undefined)
      throw new UnsupportedMetricError(
        custom.name,
        this.kind,
        "it is a custom metric defined by queries, and the builtin provider only reads the " +
          "filter's and Envoy's stats; use the prometheus provider",
      );
    const { samples } = await this.scrape(req.signal);
    const reader: SeriesReader = {
      sum: async (s) => sumOf(samples, s),
      buckets: async (s, metric, version) =>
        select(samples, s).map((b) => ({
          le: boundOf(b.labels.le, metric, version),
          count: b.value,
        })),
    };
    const withMean = usesLatencyMean(req.experiment.spec);
    const versions: Observations["versions"] = {};
    for (const v of req.versions)
      versions[v.name] = await observeBuiltins(req, v, reader, withMean);
    return { elapsedSeconds: req.elapsedSeconds, versions };
  }

  private async scrape(signal: AbortSignal | undefined): Promise<Exposition> {
    const where = `GET ${this.opts.url}`;
    const timeoutMs = this.opts.timeoutMs ?? 10_000;
    let text: string;
    try {
      const res = await fetch(this.opts.url, {
        signal: withTimeout(signal, timeoutMs),
        headers: { accept: "text/plain" },
      });
      text = await res.text();
      if (!res.ok)
        throw new ProviderError(
          ALL_BUILTINS,
          undefined,
          `${where}: HTTP ${res.status}: ${text.slice(0, 200)}`,
        );
    } catch (e) {
      if (e instanceof ProviderError) throw e;
      throwIfCancelled(signal);
      throw new ProviderError(ALL_BUILTINS, undefined, `${where}: ${fetchFailure(e, timeoutMs)}`, {
        cause: e,
      });
    }
    try {
      return parseExposition(text);
    } catch (e) {
      if (!(e instanceof ExpositionError)) throw e;
      throw new ProviderError(ALL_BUILTINS, undefined, `${where}: ${e.message}`, { cause: e });
    }
  }
}
