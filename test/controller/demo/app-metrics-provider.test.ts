/**
 * The demo's provider: the builtin series from a sidecar page plus a custom rate metric read from
 * each version's own /metrics page, the counts being what the demo apps counted.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseExperiment } from "../../../controller/src/core/experiment/index.js";
import {
  AppMetricsProvider,
  parseSelection,
} from "../../../controller/src/demo/app-metrics-provider.js";
import { type DemoApps, startDemoApps } from "../../../controller/src/demo/demo-apps.js";
import { collectRequestFor } from "../../../controller/src/providers/index.js";

const SPEC = `apiVersion: cohort.dev/v1alpha1
kind: Experiment
metadata: { name: shop }
spec:
  target: shop
  testingPattern: AB
  baseline: { name: v1 }
  candidates: [ { name: v2 } ]
  criteria:
    objectives: [ { metric: error-rate, upperLimit: 0.01 } ]
    reward: { metric: conversion, preferredDirection: High }
  metrics:
    - name: conversion
      type: rate
      provider: builtin
      count: sum(demo_visits_total{version="{{ version }}"})
      successes: sum(demo_conversions_total{version="{{ version }}"})
`;

// the filter's series for both versions, as our sidecar's admin page shows them
const STATS = ["v1", "v2"]
  .map(
    (v, i) =>
      `cohort_responses_total{cohort_experiment="shop",cohort_version="${v}",cohort_status_class="2xx"} ${100 + i}`,
  )
  .join("\n");

describe("the demo's app-metrics provider", () => {
  let apps: DemoApps;
  let stats: Server;
  let statsUrl: string;

  beforeAll(async () => {
    apps = await startDemoApps([
      { version: "v1", conversion: 0.5, slowShare: 0, slowMs: 0, seed: 1 },
      { version: "v2", conversion: 0.5, slowShare: 0, slowMs: 0, seed: 2 },
    ]);
    stats = createServer((_req, res) => res.end(`${STATS}\n`));
    await new Promise<void>((r) => stats.listen(0, "127.0.0.1", r));
    statsUrl = `http://127.0.0.1:${(stats.address() as AddressInfo).port}/stats/prometheus`;
    // v1 gets 40 routed visits and 10 from outside the experiment, v2 gets 30 routed ones
    const visit = (url: string, headers: Record<string, string>) =>
      fetch(url, { headers }).then((r) => r.text());
    const [v1, v2] = apps.apps;
    for (let i = 0; i < 40; i++) await visit(v1?.url ?? "", { "x-cohort-version": "v1" });
    for (let i = 0; i < 10; i++) await visit(v1?.url ?? "", {});
    for (let i = 0; i < 30; i++) await visit(v2?.url ?? "", { "x-cohort-version": "v2" });
  });
  afterAll(async () => {
    await apps.close();
    await new Promise((r) => stats.close(r));
  });

  it("reads the conversion of each version from its own page, counting only routed visits", async () => {
    const { spec } = parseExperiment(SPEC);
    const pages = Object.fromEntries(apps.apps.map((a) => [a.version, `${a.url}/metrics`]));
    const obs = await new AppMetricsProvider({ statsUrl, pages }).collect(
      collectRequestFor({ name: "shop", spec }, { elapsedSeconds: 10 }),
    );
    const [v1, v2] = apps.apps;
    expect(obs.versions.v1?.requests).toBe(100);
    expect(obs.versions.v2?.requests).toBe(101);
    expect(obs.versions.v1?.metrics?.conversion).toEqual({
      count: 40,
      successes: v1?.counts().conversions,
    });
    expect(obs.versions.v2?.metrics?.conversion).toEqual({
      count: 30,
      successes: v2?.counts().conversions,
    });
    expect(v1?.counts().visits).toBe(40);
  });

  it("refuses a query that is more than a series selection, naming the metric", async () => {
    const { spec } = parseExperiment(
      SPEC.replace('count: sum(demo_visits_total{version="{{ version }}"})', "count: rate(x[5m])"),
    );
    const pages = Object.fromEntries(apps.apps.map((a) => [a.version, `${a.url}/metrics`]));
    const p = new AppMetricsProvider({ statsUrl, pages });
    await expect(
      p.collect(collectRequestFor({ name: "shop", spec }, { elapsedSeconds: 10 })),
    ).rejects.toThrow(
      'query failed for metric conversion for version v1: the app\'s metrics page answers series selections only, e.g. sum(orders_total{version="v2"}); got rate(x[5m])',
    );
  });

  it("parses sum(name{labels}) and bare selections, and nothing else", () => {
    expect(parseSelection('sum(orders_total{version="v2",region="a\\"b"})')).toEqual({
      metric: "orders_total",
      labels: { version: ["v2"], region: ['a"b'] },
    });
    expect(parseSelection("visits_total")).toEqual({ metric: "visits_total", labels: {} });
    expect(parseSelection("rate(x[5m])")).toBeUndefined();
    expect(parseSelection('sum(a{b="c"}) / 2')).toBeUndefined();
    expect(parseSelection('a{b=~"c"}')).toBeUndefined();
  });
});
