import { describe, expect, it } from "vitest";
import { checkoutConfig, servedBy, startHarness } from "./harness.js";
import { send } from "./upstream-fixture.js";

describe("stopping the sidecar", { timeout: 30_000 }, () => {
  it("finishes requests in flight, reports not ready, and refuses new connections", async () => {
    const h = await startHarness(checkoutConfig(100, 0));
    h.up.v1.hold();
    const inFlight = h.user("drain-1");
    await h.up.v1.waitFor(1);
    const stopped = h.sidecar.stop();
    const ready = await send(h.sidecar.adminUrl, { path: "/ready" });
    expect(ready.status).toBe(503);
    await expect(send(h.sidecar.url, { headers: { host: "x" } })).rejects.toThrow(/ECONNREFUSED/);
    h.up.v1.release();
    const r = await inFlight;
    expect(r.status).toBe(200);
    expect(servedBy(r)).toBe("v1");
    await stopped;
    await h.close();
  });

  it("closes requests still running after drainTimeoutMs", async () => {
    const h = await startHarness(checkoutConfig(100, 0), { drainTimeoutMs: 50 });
    h.up.v1.hold();
    const inFlight = h.user("stuck-1").then(
      (r) => r.status,
      (e: Error) => e.message,
    );
    await h.up.v1.waitFor(1);
    await h.sidecar.stop();
    expect(await inFlight).toMatch(/socket hang up|ECONNRESET/);
    h.up.v1.release();
    await h.close();
  });
});
