/**
 * The demo's versions and its experiment: an A/B/n progressive run of four versions of one shop
 * app. v1 is the baseline; v2 converts better; v3 is slow at its p99 (3% of requests take 400 ms
 * against `latency-p99 ≤ 250`: the limit leaves room for a busy machine's own tail); v4 is dark and sees only a quarter of the participants, mirrored.
 * Users outside the segment (x-country other than wakanda) stay on v1 and take no part.
 */
import { stringify } from "yaml";
import type { AppBehaviour } from "./demo-apps.js";

export const DEMO_NAME = "shop-demo";

/** Each version's behaviour; the seeds fix each app's sequence of draws. */
export const DEMO_APPS: readonly AppBehaviour[] = [
  { version: "v1", conversion: 0.1, slowShare: 0, slowMs: 0, seed: 101 },
  { version: "v2", conversion: 0.15, slowShare: 0, slowMs: 0, seed: 102 },
  { version: "v3", conversion: 0.1, slowShare: 0.03, slowMs: 400, seed: 103 },
  { version: "v4", conversion: 0.1, slowShare: 0, slowMs: 0, seed: 104 },
];

export interface DemoSettings {
  /** Requests per second of the synthetic users. */
  rate: number;
  intervalSeconds: number;
  maxIterations: number;
  seed: number;
}

export const DEMO_DEFAULTS: DemoSettings = {
  rate: 300,
  intervalSeconds: 2,
  maxIterations: 30,
  seed: 7,
};

/** The Experiment document (as `cohort run` reads it) for apps listening at `urls`. */
export function demoExperiment(
  urls: Record<string, string>,
  promotionDir: string,
  s: DemoSettings,
): unknown {
  // the builtin provider reads each app's own page for the conversion metric (metrics merging)
  const metricsUrl = (name: string) => `${urls[name]}/metrics`;
  const version = (name: string, tag: string) => ({
    name,
    url: urls[name],
    variables: { tag, metricsUrl: metricsUrl(name) },
  });
  const count = (metric: string) => `sum(${metric}{version="{{ version }}"})`;
  return {
    apiVersion: "cohort.dev/v1alpha1",
    kind: "Experiment",
    metadata: { name: DEMO_NAME },
    spec: {
      target: "shop",
      testingPattern: "ABN",
      deploymentPattern: "Progressive",
      baseline: version("v1", "1.0.0"),
      candidates: [version("v2", "1.1.0"), version("v3", "1.2.0")],
      criteria: {
        confidence: 0.95,
        objectives: [
          { metric: "latency-p99", upperLimit: 250 },
          { metric: "error-rate", upperLimit: 0.01 },
        ],
        reward: { metric: "conversion", preferredDirection: "High" },
      },
      metrics: [
        {
          name: "conversion",
          type: "rate",
          provider: "builtin",
          units: "orders per visit",
          count: count("demo_visits_total"),
          successes: count("demo_conversions_total"),
        },
      ],
      traffic: {
        segment: { all: [{ header: "x-country", exact: "wakanda" }] },
        stickyKey: ["header:x-user-id"],
        mirror: { version: "v4", percent: 25, variables: { metricsUrl: metricsUrl("v4") } },
      },
      duration: { intervalSeconds: s.intervalSeconds, maxIterations: s.maxIterations },
      load: {
        rate: s.rate,
        users: 20000,
        seed: s.seed,
        headers: [{ name: "x-country", values: { wakanda: 9, genovia: 1 } }],
      },
      sidecar: { mirrorUrl: urls.v4 },
      promotion: {
        kind: "kustomize",
        kustomize: { dir: promotionDir, images: [{ name: "shop", newTag: "{{ tag }}" }] },
      },
    },
  };
}

/** The production overlay the demo promotes into: a kustomization naming the shop's image. */
export const DEMO_KUSTOMIZATION = stringify({
  apiVersion: "kustomize.config.k8s.io/v1beta1",
  kind: "Kustomization",
  resources: ["deployment.yaml"],
  images: [{ name: "shop", newTag: "1.0.0" }],
});

export const DEMO_DEPLOYMENT = stringify({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "shop" },
  spec: {
    selector: { matchLabels: { app: "shop" } },
    template: {
      metadata: { labels: { app: "shop" } },
      spec: { containers: [{ name: "shop", image: "shop" }] },
    },
  },
});
