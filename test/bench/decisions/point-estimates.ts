/**
 * Point estimates as the threshold tools compute them: no interval, just the number.
 * `histogramQuantile` follows Prometheus' `histogram_quantile` (linear interpolation inside the
 * bucket; in the overflow bucket, the highest finite bound), which Flagger's request-duration
 * check and Iter8's latency metrics use.
 */
import type {
  LatencyHistogram,
  VersionObservation,
} from "../../../controller/src/core/observations.js";

export function histogramQuantile(h: LatencyHistogram, q: number): number {
  const total = h.counts.reduce((a, b) => a + b, 0);
  if (total === 0) return Number.NaN;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < h.counts.length; i++) {
    const c = h.counts[i] as number;
    if (below + c >= rank && c > 0) {
      if (i >= h.boundsMs.length) return h.boundsMs[h.boundsMs.length - 1] as number;
      const lower = i === 0 ? 0 : (h.boundsMs[i - 1] as number);
      const upper = h.boundsMs[i] as number;
      return lower + ((upper - lower) * (rank - below)) / c;
    }
    below += c;
  }
  return h.boundsMs[h.boundsMs.length - 1] as number;
}

export function errorRate(o: VersionObservation | undefined): number {
  return o === undefined || o.requests === 0 ? Number.NaN : o.errors / o.requests;
}

export function p99(o: VersionObservation | undefined): number {
  return o?.latency === undefined ? Number.NaN : histogramQuantile(o.latency, 0.99);
}

export function conversion(o: VersionObservation | undefined): {
  successes: number;
  count: number;
} {
  const m = o?.metrics?.conversion;
  return m !== undefined && "successes" in m ? m : { successes: 0, count: 0 };
}

/** Both objectives by point estimate: true within the limits, false outside, null without data. */
export function pointValidated(
  o: VersionObservation | undefined,
  errorLimit: number,
  p99LimitMs: number,
): boolean | null {
  const e = errorRate(o);
  const q = p99(o);
  if (Number.isNaN(e) || Number.isNaN(q)) return null;
  return e <= errorLimit && q <= p99LimitMs;
}
