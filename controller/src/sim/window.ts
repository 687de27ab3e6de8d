import type { Observations, VersionObservation } from "../core/observations.js";

function minus(
  after: VersionObservation,
  before: VersionObservation | undefined,
): VersionObservation {
  if (before === undefined) return after;
  const out: VersionObservation = {
    requests: after.requests - before.requests,
    errors: after.errors - before.errors,
  };
  if (after.latency !== undefined)
    out.latency = {
      boundsMs: after.latency.boundsMs,
      counts: after.latency.counts.map((c, i) => c - (before.latency?.counts[i] ?? 0)),
    };
  if (after.metrics !== undefined) {
    out.metrics = {};
    for (const [name, m] of Object.entries(after.metrics)) {
      const b = before.metrics?.[name];
      out.metrics[name] =
        "successes" in m
          ? {
              count: m.count - (b?.count ?? 0),
              successes: m.successes - (b && "successes" in b ? b.successes : 0),
            }
          : {
              count: m.count - (b?.count ?? 0),
              sum: m.sum - (b && "sum" in b ? b.sum : 0),
              sumSquares: m.sumSquares - (b && "sum" in b ? b.sumSquares : 0),
            };
    }
  }
  return out;
}

/**
 * What happened between two cumulative looks: the last interval's window, as a threshold check
 * per interval (Flagger, Argo) sees it (`increase(...[interval])`).
 */
export function windowBetween(before: Observations | undefined, after: Observations): Observations {
  const versions: Record<string, VersionObservation> = {};
  for (const [v, o] of Object.entries(after.versions)) versions[v] = minus(o, before?.versions[v]);
  return {
    elapsedSeconds: after.elapsedSeconds - (before?.elapsedSeconds ?? 0),
    ...(after.currentWeights === undefined ? {} : { currentWeights: after.currentWeights }),
    versions,
  };
}
