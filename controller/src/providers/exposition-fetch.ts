import { fetchFailure, throwIfCancelled, withTimeout } from "./describe-cause.js";
import { ProviderError } from "./errors.js";
import { type Exposition, ExpositionError, parseExposition } from "./exposition-parse.js";

export interface ExpositionFetch {
  url: string;
  /** The metric(s) the page serves, for errors. */
  metric: string;
  /** The version the page belongs to, for errors; undefined for a page of all versions. */
  version?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * GETs and parses one Prometheus text page. An HTTP error, a failed fetch or a malformed page is a
 * ProviderError naming the metric and the URL; a cancelled `signal` rethrows its reason.
 */
export async function fetchExposition(f: ExpositionFetch): Promise<Exposition> {
  const where = `GET ${f.url}`;
  let text: string;
  try {
    const res = await fetch(f.url, {
      signal: withTimeout(f.signal, f.timeoutMs),
      headers: { accept: "text/plain" },
    });
    text = await res.text();
    if (!res.ok)
      throw new ProviderError(
        f.metric,
        f.version,
        `${where}: HTTP ${res.status}: ${text.slice(0, 200)}`,
      );
  } catch (e) {
    if (e instanceof ProviderError) throw e;
    throwIfCancelled(f.signal);
    throw new ProviderError(f.metric, f.version, `${where}: ${fetchFailure(e, f.timeoutMs)}`, {
      cause: e,
    });
  }
  try {
    return parseExposition(text);
  } catch (e) {
    if (!(e instanceof ExpositionError)) throw e;
    throw new ProviderError(f.metric, f.version, `${where}: ${e.message}`, { cause: e });
  }
}
