import { CohortError } from "../core/errors.js";
import type { LatencyHistogram, MeanObservation } from "../core/observations.js";

/** A cumulative bucket as Prometheus exports it: requests at or below `le`. */
export interface CumulativeBucket {
  le: number;
  count: number;
}

/** Cumulative buckets that cannot be a histogram (counts going down). */
export class HistogramError extends CohortError {
  override readonly name = "HistogramError";
}

/** Buckets with the same bound added up: sources may write one bound two ways ("1", "1.0"). */
function mergeBounds(buckets: CumulativeBucket[]): CumulativeBucket[] {
  const byBound = new Map<number, number>();
  for (const b of buckets) byBound.set(b.le, (byBound.get(b.le) ?? 0) + b.count);
  return [...byBound].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
}

/**
 * Per-bucket counts from cumulative `_bucket` series: one count per finite bound and one more
 * for the requests above the top bound (from `+Inf`, or `total` when there is no `+Inf`).
 */
export function fromCumulative(buckets: CumulativeBucket[], total?: number): LatencyHistogram {
  const sorted = mergeBounds(buckets);
  const finite = sorted.filter((b) => Number.isFinite(b.le));
  const inf = sorted.find((b) => b.le === Infinity);
  const all = inf?.count ?? total ?? finite.at(-1)?.count ?? 0;
  const boundsMs: number[] = [];
  const counts: number[] = [];
  let below = 0;
  for (const b of finite) {
    if (b.count < below)
      throw new HistogramError(`bucket le=${b.le} has ${b.count}, fewer than the bucket below it`);
    boundsMs.push(b.le);
    counts.push(b.count - below);
    below = b.count;
  }
  if (all < below)
    throw new HistogramError(`the total ${all} is less than the top bucket's ${below}`);
  counts.push(all - below);
  return { boundsMs, counts };
}

/**
 * `latency-mean` from a histogram and the exact sum of durations. The exporters give no sum of
 * squares, so it is estimated on the wide side: each request inside a bucket at the bucket's
 * upper bound (an upper bound for its square), those above the top bound at the largest mean
 * the exact sum leaves them (not a bound: the estimate is conservative only while few requests
 * overflow). Never below sum²/count, the least any data allows.
 */
export function latencyMean(h: LatencyHistogram, sumMs: number): MeanObservation {
  const count = h.counts.reduce((a, b) => a + b, 0);
  let squares = 0;
  let lowerSum = 0;
  h.boundsMs.forEach((hi, i) => {
    const n = h.counts[i] ?? 0;
    squares += n * hi * hi;
    lowerSum += n * (i === 0 ? 0 : (h.boundsMs[i - 1] as number));
  });
  const over = h.counts.at(-1) ?? 0;
  if (over > 0) {
    const top = h.boundsMs.at(-1) ?? 0;
    const each = Math.max(top, (sumMs - lowerSum) / over);
    squares += over * each * each;
  }
  const least = count === 0 ? 0 : (sumMs * sumMs) / count;
  return { count, sum: sumMs, sumSquares: Math.max(squares, least) };
}
