/**
 * The demo's experiment read by the plain builtin provider: the filter's series from a sidecar
 * page, the conversion metric from each app's own /metrics page (the experiment's
 * variables.metricsUrl), counting only the visits the filter routed to the app.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import {
  type ExperimentSpec,
  parseExperiment,
} from "../../../controller/src/core/experiment/index.js";
import { type DemoApps, startDemoApps } from "../../../controller/src/demo/demo-apps.js";
import { DEMO_DEFAULTS, demoExperiment } from "../../../controller/src/demo/demo-experiment.js";
import { BuiltinProvider, collectRequestFor } from "../../../controller/src/providers/index.js";

// the filter's series for the split's versions and v4's cluster, as our sidecar's admin page shows them
const STATS = [
  ...["v1", "v2", "v3"].map(
    (v, i) =>
      `cohort_responses_total{cohort_experiment="shop-demo",cohort_version="${v}",cohort_status_class="2xx"} ${100 + i}`,
  ),
  'envoy_cluster_upstream_rq_completed{envoy_cluster_name="v4"} 7',
].join("\n");

describe("the demo's metrics through the builtin provider", () => {
  let apps: DemoApps;
  let stats: Server;
  let statsUrl: string;
  let spec: ExperimentSpec;

  beforeAll(async () => {
    apps = await startDemoApps(
      ["v1", "v2", "v3", "v4"].map((version, i) => ({
        version,
        conversion: 0.5,
        slowShare: 0,
        slowMs: 0,
        seed: i + 1,
      })),
    );
    stats = createServer((_req, res) => res.end(`${STATS}\n`));
    await new Promise<void>((r) => stats.listen(0, "127.0.0.1", r));
    statsUrl = `http://127.0.0.1:${(stats.address() as AddressInfo).port}/stats/prometheus`;
    const urls = Object.fromEntries(apps.apps.map((a) => [a.version, a.url]));
    spec = parseExperiment(stringify(demoExperiment(urls, "prod", DEMO_DEFAULTS))).spec;
    // v1 gets 40 routed visits and 10 from outside the experiment, v2 30, v3 20, v4 5 mirrored
    const visit = (url: string, headers: Record<string, string>) =>
      fetch(url, { headers }).then((r) => r.text());
    const [v1, v2, v3, v4] = apps.apps.map((a) => a.url);
    for (let i = 0; i < 40; i++) await visit(v1 ?? "", { "x-cohort-version": "v1" });
    for (let i = 0; i < 10; i++) await visit(v1 ?? "", {});
    for (let i = 0; i < 30; i++) await visit(v2 ?? "", { "x-cohort-version": "v2" });
    for (let i = 0; i < 20; i++) await visit(v3 ?? "", { "x-cohort-version": "v3" });
    for (let i = 0; i < 5; i++) await visit(v4 ?? "", { "x-cohort-mirror": "v4" });
  });
  afterAll(async () => {
    await apps.close();
    await new Promise((r) => stats.close(r));
  });

  it("reads each version's conversion from its own page, the dark one's included", async () => {
    const obs = await new BuiltinProvider({ url: statsUrl }).collect(
      collectRequestFor({ name: "shop-demo", spec }, { elapsedSeconds: 10 }),
    );
    const counted = Object.fromEntries(apps.apps.map((a) => [a.version, a.counts()]));
    expect(obs.versions.v1?.requests).toBe(100);
    expect(obs.versions.v4?.requests).toBe(7);
    const conversions = Object.fromEntries(
      Object.entries(obs.versions).map(([v, o]) => [v, o.metrics?.conversion]),
    );
    expect(conversions).toEqual({
      v1: { count: 40, successes: counted.v1?.conversions },
      v2: { count: 30, successes: counted.v2?.conversions },
      v3: { count: 20, successes: counted.v3?.conversions },
      v4: { count: 5, successes: counted.v4?.conversions },
    });
  });
});
