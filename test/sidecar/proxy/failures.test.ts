import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../../controller/src/log.js";
import { startSidecar } from "../../../sidecar/src/proxy/sidecar.js";
import { checkoutConfig, type Harness, series, servedBy, startHarness } from "./harness.js";
import { deadPort, send } from "./upstream-fixture.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function stats(harness: Harness): Promise<string> {
  return (await send(harness.sidecar.adminUrl, { path: "/stats/prometheus" })).body;
}

describe("upstream failures are answered like Envoy", { timeout: 30_000 }, () => {
  it("answers 503 with Envoy's connection-failure text when the version is down", async () => {
    const port = await deadPort();
    h = await startHarness(checkoutConfig(100, 0), {}, { v1: { url: `http://127.0.0.1:${port}` } });
    const r = await h.user("down-1");
    expect(r.status).toBe(503);
    expect(r.body).toBe(
      "upstream connect error or disconnect/reset before headers. reset reason: connection failure",
    );
    expect(r.headers.server).toBe("envoy");
    expect(r.headers["content-type"]).toBe("text/plain");
    const text = await stats(h);
    expect(
      series(text, "envoy_cluster_upstream_cx_connect_fail", { envoy_cluster_name: "v1" }),
    ).toBe(1);
    expect(
      series(text, "envoy_cluster_upstream_rq_xx", {
        envoy_response_code_class: "5",
        envoy_cluster_name: "v1",
      }),
    ).toBe(1);
    // The filter saw the 503 as the response of its version.
    expect(
      series(text, "cohort_responses_total", {
        cohort_experiment: "checkout",
        cohort_version: "v1",
        cohort_status_class: "5xx",
      }),
    ).toBe(1);
  });

  it("answers 504 upstream request timeout when the version does not answer in time", async () => {
    h = await startHarness(checkoutConfig(100, 0), {}, { v1: { requestTimeoutMs: 150 } });
    h.up.v1.hold();
    const r = await h.user("slow-1");
    h.up.v1.release();
    expect(r.status).toBe(504);
    expect(r.body).toBe("upstream request timeout");
    expect(r.headers.server).toBe("envoy");
    const text = await stats(h);
    expect(series(text, "envoy_cluster_upstream_rq_timeout", { envoy_cluster_name: "v1" })).toBe(1);
    expect(
      series(text, "envoy_cluster_upstream_rq", {
        envoy_response_code: "504",
        envoy_cluster_name: "v1",
      }),
    ).toBe(1);
  });
});

describe("a slow or dead mirror target does not touch primary traffic", { timeout: 30_000 }, () => {
  it("answers primary requests while the mirror holds every shadow", async () => {
    h = await startHarness(checkoutConfig(50, 50, 100));
    h.up.v3.hold();
    for (let i = 0; i < 5; i++) {
      const r = await h.user(`held-${i}`);
      expect(r.status).toBe(200);
      expect(servedBy(r)).toMatch(/^v[12]$/);
    }
    await h.up.v3.waitFor(5);
    h.up.v3.release();
  });

  it("answers primary requests when the mirror target is down, counting its connect failures", async () => {
    const port = await deadPort();
    h = await startHarness(
      checkoutConfig(50, 50, 100),
      {},
      { v3: { url: `http://127.0.0.1:${port}` } },
    );
    for (let i = 0; i < 5; i++) expect((await h.user(`dead-${i}`)).status).toBe(200);
    const stop = h.sidecar.stop();
    await stop;
    const text = h.sidecar.stats.prometheus();
    const fails = series(text, "envoy_cluster_upstream_cx_connect_fail", {
      envoy_cluster_name: "v3",
    });
    // Every request was in the segment and mirrored (percent 100): five shadows, five failures.
    expect(fails).toBe(5);
  });

  it("drops shadows beyond shadowMaxInFlight and counts the overflow on the mirror cluster", async () => {
    h = await startHarness(checkoutConfig(50, 50, 100), {
      routes: { defaultCluster: "v1", shadowMaxInFlight: 2 },
    });
    h.up.v3.hold();
    for (let i = 0; i < 6; i++) expect((await h.user(`bound-${i}`)).status).toBe(200);
    await h.up.v3.waitFor(2);
    const text = await stats(h);
    expect(
      series(text, "envoy_cluster_upstream_rq_pending_overflow", { envoy_cluster_name: "v3" }),
    ).toBe(4);
    expect(h.up.v3.received).toHaveLength(2);
    h.up.v3.release();
  });
});

describe("a timeout after the response started", { timeout: 30_000 }, () => {
  it("resets the client's stream, as Envoy cannot send a 504 any more", async () => {
    const upstream = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("partial");
    });
    await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const sc = await startSidecar(
      { clusters: [{ name: "v1", url, requestTimeoutMs: 100 }], plugin: { enabled: false } },
      { log: createLogger({}, { write: () => {} }) },
    );
    const outcome = await new Promise<{ status: number; aborted: boolean; body: string }>(
      (resolve) => {
        const req = request(sc.url, { headers: { host: "x" } }, (res) => {
          let body = "";
          res.on("data", (c: Buffer) => {
            body += c;
          });
          res.on("aborted", () => resolve({ status: res.statusCode ?? 0, aborted: true, body }));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, aborted: false, body }));
          res.on("error", () => {});
        });
        req.end();
      },
    );
    const text = sc.stats.prometheus();
    await sc.stop();
    upstream.closeAllConnections();
    await new Promise((r) => upstream.close(r));
    expect(outcome).toEqual({ status: 200, aborted: true, body: "partial" });
    expect(series(text, "envoy_cluster_upstream_rq_timeout", { envoy_cluster_name: "v1" })).toBe(1);
  });
});
