import { Agent } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkoutConfig, type Harness, HOST, series, servedBy, startHarness } from "./harness.js";
import { send } from "./upstream-fixture.js";

async function prometheus(h: Harness): Promise<string> {
  return (await send(h.sidecar.adminUrl, { path: "/stats/prometheus" })).body;
}

async function postConfig(h: Harness, config: unknown) {
  const r = await send(h.sidecar.adminUrl, {
    method: "POST",
    path: "/plugin-config",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(config),
  });
  return { status: r.status, body: JSON.parse(r.body) as { accepted: boolean; error?: string } };
}

describe("/stats/prometheus counts the traffic sent", { timeout: 30_000 }, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(checkoutConfig(50, 50, 50));
  });
  afterAll(() => h.close());

  it("shows the filter's counters and Envoy's cluster stats, primary and shadow alike", async () => {
    const served: Record<string, number> = { v1: 0, v2: 0 };
    for (let i = 0; i < 30; i++) {
      const v = servedBy(await h.user(`stat-${i}`));
      served[v] = (served[v] ?? 0) + 1;
    }
    for (let i = 0; i < 7; i++) await h.user(`outside-${i}`, {}, "genovia");
    const shadows = Number(
      series(await prometheus(h), "cohort_mirrored_requests_total", {
        cohort_experiment: "checkout",
        cohort_version: "v3",
      }),
    );
    expect(shadows).toBeGreaterThan(0);
    await h.up.v3.waitFor(shadows);
    const text = await prometheus(h);

    const req = (version: string, reason: string) =>
      series(text, "cohort_requests_total", {
        cohort_experiment: "checkout",
        cohort_version: version,
        cohort_reason: reason,
      });
    expect(req("v1", "split")).toBe(served.v1);
    expect(req("v2", "split")).toBe(served.v2);
    expect(req("v1", "outside-segment")).toBe(7);

    const cluster = (name: string, c: string, labels: Record<string, string> = {}) =>
      series(text, name, { ...labels, envoy_cluster_name: c });
    const v1Total = (served.v1 ?? 0) + 7;
    expect(cluster("envoy_cluster_upstream_rq_total", "v1")).toBe(v1Total);
    expect(cluster("envoy_cluster_upstream_rq_total", "v2")).toBe(served.v2);
    expect(cluster("envoy_cluster_upstream_rq_xx", "v1", { envoy_response_code_class: "2" })).toBe(
      v1Total,
    );
    expect(cluster("envoy_cluster_upstream_rq", "v2", { envoy_response_code: "200" })).toBe(
      served.v2,
    );
    expect(cluster("envoy_cluster_upstream_rq_time_count", "v1")).toBe(v1Total);
    expect(cluster("envoy_cluster_upstream_rq_time_bucket", "v1", { le: "+Inf" })).toBe(v1Total);
    expect(cluster("envoy_cluster_upstream_rq_total", "v3")).toBe(shadows);
    expect(text).toContain("# TYPE envoy_cluster_upstream_rq_time histogram\n");
    expect(text).toContain(
      'envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name="v1",le="0.5"}',
    );
  });

  it("reports readiness and the current configuration", async () => {
    const ready = await send(h.sidecar.adminUrl, { path: "/ready" });
    expect(ready.status).toBe(200);
    expect(ready.body).toBe("LIVE\n");
    const dump = JSON.parse((await send(h.sidecar.adminUrl, { path: "/config_dump" })).body);
    expect(dump.clusters.map((c: { name: string }) => c.name)).toEqual(["v1", "v2", "v3"]);
    expect(dump.listeners[0].boundPort).toBe(h.sidecar.ports.listeners.listener_0);
    expect(dump.plugin.config.experiments[0].name).toBe("checkout");
  });
});

describe("POST /plugin-config", { timeout: 30_000 }, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(checkoutConfig(100, 0));
  });
  afterAll(() => h.close());

  it("replaces the config under load without dropping a request", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const sent = 400;
    let answered = 0;
    const versions: string[] = [];
    let posted: Promise<{ status: number }> | undefined;
    const one = async (i: number) => {
      const r = await send(h.sidecar.url, {
        agent,
        headers: { host: HOST, "x-country": "wakanda", "x-user-id": `load-${i % 50}` },
      });
      if (r.status === 200) answered++;
      versions[i] = servedBy(r);
      if (i === sent / 2) posted = postConfig(h, checkoutConfig(0, 100));
    };
    const workers = Array.from({ length: 16 }, async (_, w) => {
      for (let i = w; i < sent; i += 16) await one(i);
    });
    await Promise.all(workers);
    agent.destroy();
    expect((await posted)?.status).toBe(200);
    expect(answered).toBe(sent);
    expect(versions.slice(0, 16).every((v) => v === "v1")).toBe(true);
    // Once the new weights serve, every participant goes to v2.
    for (let i = 0; i < 10; i++) expect(servedBy(await h.user(`after-${i}`))).toBe("v2");
  });

  it("refuses a bad config with 400 and the filter's message, and keeps serving the old one", async () => {
    const bad = checkoutConfig(0, 100) as { experiments: Record<string, unknown>[] };
    (bad.experiments[0] as Record<string, unknown>).baseline = "v9";
    const r = await postConfig(h, bad);
    expect(r.status).toBe(400);
    expect(r.body.accepted).toBe(false);
    expect(r.body.error).toMatch(/baseline/);
    for (let i = 0; i < 5; i++) expect(servedBy(await h.user(`kept-${i}`))).toBe("v2");
    const notJson = await send(h.sidecar.adminUrl, {
      method: "POST",
      path: "/plugin-config",
      body: "{",
    });
    expect(notJson.status).toBe(400);
  });
});
