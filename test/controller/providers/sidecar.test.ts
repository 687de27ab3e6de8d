import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExperimentSpec } from "../../../controller/src/core/experiment/index.js";
import type { Observations } from "../../../controller/src/core/observations.js";
import { BuiltinProvider, collectRequestFor } from "../../../controller/src/providers/index.js";
import { type Sidecar, startSidecar } from "../../../sidecar/src/proxy/sidecar.js";
import { checkoutConfig, HOST } from "../../sidecar/proxy/harness.js";
import { send, startUpstream, type TestUpstream } from "../../sidecar/proxy/upstream-fixture.js";

const spec: ExperimentSpec = {
  target: "shop/checkout",
  testingPattern: "Canary",
  baseline: { name: "v1" },
  candidates: [{ name: "v2" }],
  criteria: { objectives: [{ metric: "error-rate", upperLimit: 0.01 }] },
  traffic: { mirror: { version: "v3", percent: 50 } },
};

/** Polls `probe` every 50 ms until `done` holds, for at most 10 s; returns the last value. */
async function until<T>(probe: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const v = await probe();
    if (done(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("the builtin provider reading our sidecar's admin page", () => {
  const USERS = 40;
  let up: Record<"v1" | "v2" | "v3", TestUpstream>;
  let sidecar: Sidecar;
  beforeAll(async () => {
    // v3 is dark and broken: every mirrored copy gets a 503 the clients never see.
    up = {
      v1: await startUpstream("v1"),
      v2: await startUpstream("v2"),
      v3: await startUpstream("v3", 503),
    };
    sidecar = await startSidecar({
      clusters: Object.values(up).map((u) => ({ name: u.name, url: u.url })),
      routes: { defaultCluster: "v1" },
      plugin: { config: checkoutConfig(50, 50, 50) },
      requestIdSeed: 7,
    });
    for (let i = 0; i < USERS; i++) {
      const r = await send(sidecar.url, {
        headers: { host: HOST, "x-country": "wakanda", "x-user-id": `u${i}` },
      });
      expect(r.status).toBe(200);
    }
  }, 30_000);
  afterAll(async () => {
    await sidecar?.stop();
    for (const u of Object.values(up ?? {})) await u.close();
  });

  it("sees the split's requests from the filter and the dark version's 503s from its cluster", async () => {
    const provider = new BuiltinProvider({ url: `${sidecar.adminUrl}/stats/prometheus` });
    const req = collectRequestFor({ name: "checkout", spec }, { elapsedSeconds: 5 });
    // Mirrored copies finish after the clients' responses: wait until their stats landed.
    const obs: Observations = await until(
      () => provider.collect(req),
      (o) =>
        o.versions.v3?.requests === up.v3.received.length &&
        (o.versions.v3?.latency?.counts ?? []).reduce((a, b) => a + b, 0) === up.v3.received.length,
    );
    expect(up.v3.received.length).toBeGreaterThan(0);
    expect(obs.versions.v1?.requests).toBe(up.v1.received.length);
    expect(obs.versions.v2?.requests).toBe(up.v2.received.length);
    expect((obs.versions.v1?.requests ?? 0) + (obs.versions.v2?.requests ?? 0)).toBe(USERS);
    expect([obs.versions.v1?.errors, obs.versions.v2?.errors]).toEqual([0, 0]);
    expect(obs.versions.v3?.requests).toBe(up.v3.received.length);
    expect(obs.versions.v3?.errors).toBe(up.v3.received.length);
    for (const v of ["v1", "v2", "v3"]) {
      const counts = obs.versions[v]?.latency?.counts ?? [];
      expect(counts.reduce((a, b) => a + b, 0)).toBe(obs.versions[v]?.requests);
    }
  });
});
