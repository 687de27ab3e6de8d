import { readFileSync } from "node:fs";
import type { ExperimentSpec } from "../../../controller/src/core/experiment/index.js";

/** The Envoy-format page of fixtures/envoy-istio-stats.prom: experiment `reviews`, v3 mirrored. */
export const ENVOY_PAGE = readFileSync(
  new URL("./fixtures/envoy-istio-stats.prom", import.meta.url),
  "utf8",
);

/** Istio's cluster of each reviews version, as the page names them. */
export const REVIEWS_CLUSTERS = {
  v1: "outbound|9080|v1|reviews.default.svc.cluster.local",
  v2: "outbound|9080|v2|reviews.default.svc.cluster.local",
  v3: "outbound|9080|v3|reviews.default.svc.cluster.local",
};

export function reviewsSpec(extra: Partial<ExperimentSpec> = {}): ExperimentSpec {
  return {
    target: "default/reviews",
    testingPattern: "Canary",
    baseline: { name: "v1", variables: { region: "eu" } },
    candidates: [{ name: "v2", variables: { region: "eu" } }],
    criteria: { objectives: [{ metric: "error-rate", upperLimit: 0.01 }] },
    traffic: { mirror: { version: "v3", percent: 25 } },
    ...extra,
  };
}
