/**
 * Adds the counts of two sidecar sessions. Our sidecar's counters restart with it, so after a
 * restart the run adds what it had seen before to what the new sidecar reports: the observations
 * stay cumulative since the experiment began, as the metrics port promises.
 */
import type {
  LatencyHistogram,
  MetricObservation,
  VersionObservation,
} from "../core/observations.js";

function addLatency(
  a: LatencyHistogram | undefined,
  b: LatencyHistogram | undefined,
): LatencyHistogram | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const same =
    a.boundsMs.length === b.boundsMs.length && a.boundsMs.every((x, i) => x === b.boundsMs[i]);
  // different buckets cannot be added; the newer histogram alone is still a valid sample
  if (!same) return b;
  return { boundsMs: [...a.boundsMs], counts: a.counts.map((c, i) => c + (b.counts[i] ?? 0)) };
}

function addMetric(a: MetricObservation, b: MetricObservation): MetricObservation {
  if ("successes" in a && "successes" in b)
    return { count: a.count + b.count, successes: a.successes + b.successes };
  if ("sum" in a && "sum" in b)
    return {
      count: a.count + b.count,
      sum: a.sum + b.sum,
      sumSquares: a.sumSquares + b.sumSquares,
    };
  return b;
}

function addVersion(a: VersionObservation, b: VersionObservation): VersionObservation {
  const out: VersionObservation = {
    requests: a.requests + b.requests,
    errors: a.errors + b.errors,
  };
  const latency = addLatency(a.latency, b.latency);
  if (latency !== undefined) out.latency = latency;
  if (a.metrics !== undefined || b.metrics !== undefined) {
    const metrics: Record<string, MetricObservation> = { ...a.metrics };
    for (const [k, m] of Object.entries(b.metrics ?? {})) {
      const prev = metrics[k];
      metrics[k] = prev === undefined ? m : addMetric(prev, m);
    }
    out.metrics = metrics;
  }
  return out;
}

/** `carried + current`, version by version; a version missing from one side is taken as is. */
export function addObservations(
  carried: Record<string, VersionObservation>,
  current: Record<string, VersionObservation>,
): Record<string, VersionObservation> {
  const out: Record<string, VersionObservation> = { ...carried };
  for (const [v, o] of Object.entries(current)) {
    const prev = out[v];
    out[v] = prev === undefined ? o : addVersion(prev, o);
  }
  return out;
}
