/** Builders for experiments and observations in the decision tests: clear cases and thin ones. */
import type { ExperimentSpec } from "../../../controller/src/core/experiment/index.js";
import type {
  LatencyHistogram,
  Observations,
  VersionObservation,
} from "../../../controller/src/core/observations.js";

export const BOUNDS_MS = [5, 10, 25, 50, 100];

/** A histogram of `n` requests: a share `slow` above 50 ms (half of it above 100 ms), the rest ≤ 25 ms. */
export function latency(n: number, slow: number): LatencyHistogram {
  const above50 = Math.round(n * slow);
  const over100 = Math.floor(above50 / 2);
  const fast = n - above50;
  const b5 = Math.floor(fast / 2);
  const b10 = Math.floor(fast * 0.3);
  return {
    boundsMs: BOUNDS_MS,
    counts: [b5, b10, fast - b5 - b10, 0, above50 - over100, over100],
  };
}

export interface VersionShape {
  requests: number;
  errorRate?: number;
  slow?: number;
  /** Conversions out of `requests`. */
  conversions?: number;
}

export function version(s: VersionShape): VersionObservation {
  const out: VersionObservation = {
    requests: s.requests,
    errors: Math.round(s.requests * (s.errorRate ?? 0)),
    latency: latency(s.requests, s.slow ?? 0),
  };
  if (s.conversions !== undefined)
    out.metrics = { conversion: { count: s.requests, successes: s.conversions } };
  return out;
}

export function observations(
  versions: Record<string, VersionShape>,
  elapsedSeconds = 300,
  currentWeights?: Record<string, number>,
): Observations {
  const out: Observations = {
    elapsedSeconds,
    versions: Object.fromEntries(Object.entries(versions).map(([v, s]) => [v, version(s)])),
  };
  if (currentWeights) out.currentWeights = currentWeights;
  return out;
}

const CONVERSION = {
  name: "conversion",
  type: "rate" as const,
  provider: "prometheus" as const,
  successes: 'sum(orders_total{version="{{ version }}"})',
  count: 'sum(visits_total{version="{{ version }}"})',
};

const OBJECTIVES = [
  { metric: "latency-p99", upperLimit: 50 },
  { metric: "error-rate", upperLimit: 0.01 },
];

/** A spec of the given pattern with p99 ≤ 50 ms and error-rate ≤ 1% (and a conversion reward for AB/ABN). */
export function spec(
  testingPattern: ExperimentSpec["testingPattern"],
  over: Partial<ExperimentSpec> = {},
  candidates = testingPattern === "Conformance"
    ? []
    : testingPattern === "ABN"
      ? ["v2", "v3", "v4"]
      : ["v2"],
): ExperimentSpec {
  const withReward = testingPattern === "AB" || testingPattern === "ABN";
  return {
    target: "shop/checkout",
    testingPattern,
    deploymentPattern: "Progressive",
    baseline: { name: "v1" },
    candidates: candidates.map((name) => ({ name })),
    criteria: {
      confidence: 0.95,
      objectives: OBJECTIVES,
      ...(withReward
        ? { reward: { metric: "conversion", preferredDirection: "High" as const } }
        : {}),
    },
    ...(withReward ? { metrics: [CONVERSION] } : {}),
    weights: { maxCandidateWeight: 100, maxCandidateWeightIncrement: 10 },
    duration: { intervalSeconds: 30, maxIterations: 20 },
    ...over,
  };
}
