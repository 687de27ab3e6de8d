import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DecisionRunner } from "../../../sidecar/src/route/decide.js";
import { checkoutConfig, type Harness, HOST, servedBy, startHarness } from "./harness.js";
import { send } from "./upstream-fixture.js";

describe("the sidecar routes by the filter's decision", { timeout: 30_000 }, () => {
  let h: Harness;
  const config = checkoutConfig(50, 50);
  beforeAll(async () => {
    h = await startHarness(config);
  });
  afterAll(() => h.close());

  it("sends each user in the segment to the version the filter picks, on every request", async () => {
    // The decisions come from the same filter run directly in the host (`cohort route`).
    const runner = DecisionRunner.start(config);
    const served: Record<string, number> = { v1: 0, v2: 0 };
    for (let i = 0; i < 40; i++) {
      const id = `user-${i}`;
      const expected = runner.decide({
        ":authority": HOST,
        "x-country": "wakanda",
        "x-user-id": id,
      });
      const first = servedBy(await h.user(id));
      const second = servedBy(await h.user(id));
      expect(first).toBe(expected.version);
      expect(second).toBe(first);
      served[first] = (served[first] ?? 0) + 1;
    }
    expect(served.v1).toBeGreaterThan(5);
    expect(served.v2).toBeGreaterThan(5);
  });

  it("tells the upstream its version in the routing header the filter set", async () => {
    const before = h.up.v2.received.length;
    let id = 0;
    while (servedBy(await h.user(`hdr-${id}`)) !== "v2") id++;
    const got = h.up.v2.received.slice(before).at(-1);
    expect(got?.headers["x-cohort-version"]).toBe("v2");
    expect(got?.headers.host).toBe(HOST);
  });

  it("sends users outside the segment to the baseline", async () => {
    for (let i = 0; i < 10; i++) {
      expect(servedBy(await h.user(`out-${i}`, {}, "genovia"))).toBe("v1");
    }
  });

  it("does not let a client pick its version with x-cohort-version or x-cohort-mirror", async () => {
    for (let i = 0; i < 10; i++) {
      const r = await h.user(
        `spoof-${i}`,
        { "x-cohort-version": "v3", "x-cohort-mirror": "v3" },
        "genovia",
      );
      expect(servedBy(r)).toBe("v1");
    }
    const other = await send(h.sidecar.url, {
      headers: { host: "catalog.shop.svc.cluster.local", "x-cohort-version": "v2" },
    });
    expect(servedBy(other)).toBe("v1");
    expect(h.up.v3.received).toHaveLength(0);
  });

  it("adds x-request-id and x-forwarded-for and drops hop-by-hop headers, as Envoy does", async () => {
    const before = h.up.v1.received.length;
    await send(h.sidecar.url, {
      headers: { host: "other", connection: "keep-alive, x-hop", "x-hop": "1", "keep-alive": "5" },
    });
    const got = h.up.v1.received[before];
    expect(got?.headers["x-request-id"]).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(got?.headers["x-forwarded-for"]).toBe("127.0.0.1");
    expect(got?.headers["x-forwarded-proto"]).toBe("http");
    expect(got?.headers["x-hop"]).toBeUndefined();
    expect(got?.headers["keep-alive"]).toBeUndefined();
    const kept = await send(h.sidecar.url, { headers: { host: "other", "x-request-id": "abc" } });
    expect(kept.status).toBe(200);
    expect(h.up.v1.received.at(-1)?.headers["x-request-id"]).toBe("abc");
  });

  it("answers with server: envoy and x-envoy-upstream-service-time like Envoy", async () => {
    const r = await h.user("srv-1");
    expect(r.headers.server).toBe("envoy");
    expect(Number(r.headers["x-envoy-upstream-service-time"])).toBeGreaterThanOrEqual(0);
  });
});

describe("generated request ids", { timeout: 30_000 }, () => {
  it("repeat from the same seed, so runs that fall back to x-request-id are reproducible", async () => {
    const ids: string[][] = [];
    for (let run = 0; run < 2; run++) {
      const h = await startHarness(checkoutConfig(), { requestIdSeed: 42 });
      for (let i = 0; i < 3; i++) await send(h.sidecar.url, { headers: { host: "x" } });
      ids.push(h.up.v1.received.map((r) => String(r.headers["x-request-id"])));
      await h.close();
    }
    expect(new Set(ids[0]).size).toBe(3);
    expect(ids[1]).toEqual(ids[0]);
  });
});

describe("mirroring", { timeout: 30_000 }, () => {
  let h: Harness;
  const config = checkoutConfig(50, 50, 50);
  beforeAll(async () => {
    h = await startHarness(config);
  });
  afterAll(() => h.close());

  it("copies mirrored users' requests to v3 with a -shadow authority; the client sees the primary only", async () => {
    const runner = DecisionRunner.start(config);
    let mirrored = 0;
    for (let i = 0; i < 30; i++) {
      const id = `m-${i}`;
      const d = runner.decide({ ":authority": HOST, "x-country": "wakanda", "x-user-id": id });
      if (d.mirror === "v3") mirrored++;
      const r = await h.user(id, { "x-payload": String(i) });
      expect(servedBy(r)).toBe(d.version);
    }
    expect(mirrored).toBeGreaterThan(3);
    await h.up.v3.waitFor(mirrored);
    expect(h.up.v3.received).toHaveLength(mirrored);
    for (const r of h.up.v3.received) {
      expect(r.headers.host).toBe(`${HOST}-shadow`);
      expect(r.headers["x-cohort-mirror"]).toBe("v3");
    }
  });
});

describe("mirroring a request with a body", { timeout: 30_000 }, () => {
  it("sends the shadow the same body the primary gets", async () => {
    const h = await startHarness(checkoutConfig(50, 50, 100));
    const body = Buffer.alloc(300_000, 0x62);
    const r = await send(h.sidecar.url, {
      method: "POST",
      headers: { host: `${HOST}:8080`, "x-country": "wakanda", "x-user-id": "poster" },
      body,
    });
    await h.up.v3.waitFor(1);
    await h.close();
    expect(r.body).toMatch(/^version=v[12] bytes=300000$/);
    expect(h.up.v3.received[0]).toMatchObject({
      method: "POST",
      bodyBytes: 300_000,
      headers: { host: `${HOST}-shadow:8080` },
    });
  });
});

describe("the access log", { timeout: 30_000 }, () => {
  it("writes one structured line per request with the filter's decision", async () => {
    const h = await startHarness(checkoutConfig(0, 100), { accessLog: true });
    await h.user("logged-1");
    await send(h.sidecar.url, { headers: { host: "other" } });
    await h.close();
    const lines = h.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === "access");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      status: 200,
      cluster: "v2",
      authority: HOST,
      decision: { experiment: "checkout", version: "v2", reason: "split" },
    });
    expect(lines[1]).toMatchObject({ status: 200, cluster: "v1", decision: { experiment: null } });
  });
});
