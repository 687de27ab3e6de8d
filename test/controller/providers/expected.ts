import type { ExperimentSpec } from "../../../controller/src/core/experiment/index.js";
import type {
  LatencyHistogram,
  VersionObservation,
} from "../../../controller/src/core/observations.js";
import { ENVOY_DEFAULT_BUCKETS } from "../../../sidecar/src/host/index.js";
import type { Exchange } from "./traffic.js";

/** What a provider must report for these exchanges, counted here from the traffic itself. */
export function expectedObservation(exchanges: Exchange[]): VersionObservation {
  const bounds = [...ENVOY_DEFAULT_BUCKETS];
  const counts = new Array<number>(bounds.length + 1).fill(0);
  for (const e of exchanges) {
    const i = bounds.findIndex((b) => e.durationMs <= b);
    counts[i === -1 ? bounds.length : i] = (counts[i === -1 ? bounds.length : i] as number) + 1;
  }
  const latency: LatencyHistogram = { boundsMs: bounds, counts };
  return {
    requests: exchanges.length,
    errors: exchanges.filter((e) => e.status >= 500).length,
    latency,
  };
}

/** The experiment the contract collects: checkout's versions, v3 mirrored, p99 and error objectives. */
export function checkoutSpec(extra: Partial<ExperimentSpec> = {}): ExperimentSpec {
  return {
    target: "shop/checkout",
    testingPattern: "Canary",
    baseline: { name: "v1" },
    candidates: [{ name: "v2" }],
    criteria: {
      objectives: [
        { metric: "latency-p99", upperLimit: 500 },
        { metric: "error-rate", upperLimit: 0.05 },
      ],
    },
    traffic: { mirror: { version: "v3", percent: 25 } },
    ...extra,
  };
}

/** The `search` experiment: stable against a canary that gets no traffic, judged on latency-mean. */
export function searchSpec(): ExperimentSpec {
  return {
    target: "shop/search",
    testingPattern: "Canary",
    baseline: { name: "stable" },
    candidates: [{ name: "canary" }],
    criteria: { objectives: [{ metric: "latency-mean", upperLimit: 100 }] },
  };
}
