/**
 * A local run whose metrics come through a real Prometheus scraping our sidecar (`--prometheus`),
 * on the real clock (a look before the first scrape holds on no data).
 */
import { createServer } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { parseExperiment } from "../../controller/src/core/experiment/index.js";
import { runExperiment } from "../../controller/src/local/runner.js";
import { createPromoter } from "../../controller/src/promotion/index.js";
import { experimentYaml } from "../controller/local/experiment.js";
import { workspace } from "../controller/local/harness.js";
import { startUpstream, type Upstream } from "../controller/local/upstream.js";
import { type PrometheusServer, startPrometheus } from "../helpers/prometheus.js";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const open: (Upstream | PrometheusServer)[] = [];
afterAll(async () => {
  await Promise.all(open.map((o) => o.close()));
});

describe("cohort run --prometheus", { timeout: 60_000 }, () => {
  it("reads the metrics through Prometheus and promotes the healthy candidate", async () => {
    const ws = await workspace();
    const [v1, v2] = [await startUpstream(), await startUpstream()];
    open.push(v1, v2);
    const adminPort = await freePort();
    const prometheus = await startPrometheus({
      targets: [`127.0.0.1:${adminPort}`],
      metricsPath: "/stats/prometheus",
    });
    open.push(prometheus);
    const lines: string[] = [];
    const yaml = experimentYaml({
      v1: v1.url,
      v2: v2.url,
      promotedFile: ws.promotedFile,
      rate: 300,
      intervalSeconds: 1.2,
      maxIterations: 10,
      spec: { sidecar: { adminPort } },
    });
    const r = await runExperiment({
      experiment: parseExperiment(yaml),
      statePath: ws.statePath,
      promoter: createPromoter(),
      prometheusUrl: prometheus.url,
      progress: (l) => lines.push(l),
    });

    expect(r.end).toBe("verdict");
    expect(r.phase).toBe("Completed");
    expect(r.winner).toBe("v2");
    expect(ws.promotions()).toEqual(["checkout v2"]);
    // what Prometheus reported is what the upstreams served, up to the last scrape's lag
    expect(r.state.observed.v1?.requests ?? 0).toBeGreaterThan(0);
    expect(r.state.observed.v1?.requests ?? 0).toBeLessThanOrEqual(v1.requests);
  });
});
