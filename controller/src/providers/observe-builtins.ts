import type { VersionObservation } from "../core/observations.js";
import { NoDataError, ProviderError } from "./errors.js";
import { type CumulativeBucket, fromCumulative, HistogramError, latencyMean } from "./histogram.js";
import { renderSelector } from "./promql-queries.js";
import type { CollectRequest, VersionTarget } from "./provider.js";
import { type Selector, suffixed, versionSeries } from "./series.js";
import { allInOrder } from "./settle.js";

/** How a provider reads series: summed values, and a histogram's cumulative buckets. */
export interface SeriesReader {
  /** The sum over the selected series, undefined when none exists. */
  sum(s: Selector, metric: string, version: string): Promise<number | undefined>;
  /** Cumulative buckets of a `_bucket` selection summed per `le`; empty when none exists. */
  buckets(s: Selector, metric: string, version: string): Promise<CumulativeBucket[]>;
}

/**
 * A version's requests, 5xx errors and latency histogram (and `latency-mean` when asked) from
 * its series. No request series means the source does not know the version yet: NoDataError.
 * No 5xx series means no 5xx yet; no histogram series leaves `latency` out.
 */
export async function observeBuiltins(
  req: CollectRequest,
  version: VersionTarget,
  reader: SeriesReader,
  withLatencyMean: boolean,
): Promise<VersionObservation> {
  const series = versionSeries(req, version);
  const v = version.name;
  const [requests, errors, buckets, sum] = (await allInOrder<unknown>([
    reader.sum(series.requests, "request-count", v),
    reader.sum(series.errors, "error-rate", v),
    reader.buckets(suffixed(series.latency, "_bucket"), "latency", v),
    reader.sum(suffixed(series.latency, "_sum"), "latency", v),
  ])) as [number | undefined, number | undefined, CumulativeBucket[], number | undefined];
  if (requests === undefined)
    throw new NoDataError(
      "request-count",
      v,
      `no series ${renderSelector(series.requests)} in the source yet`,
    );
  const out: VersionObservation = { requests, errors: Math.min(errors ?? 0, requests) };
  if (buckets.length === 0) return out;
  try {
    out.latency = fromCumulative(buckets);
  } catch (e) {
    if (!(e instanceof HistogramError)) throw e;
    throw new ProviderError("latency", v, `${renderSelector(series.latency)}: ${e.message}`, {
      cause: e,
    });
  }
  if (withLatencyMean) out.metrics = { "latency-mean": latencyMean(out.latency, sum ?? 0) };
  return out;
}
