import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../../controller/src/log.js";
import { startSidecar } from "../../../sidecar/src/proxy/sidecar.js";
import { series } from "./harness.js";
import { send } from "./upstream-fixture.js";

describe("a pooled upstream connection that went away", { timeout: 30_000 }, () => {
  it("is retried once on a fresh connection, so the client never sees the stale socket", async () => {
    // The upstream answers the first request on a connection and drops the connection when a
    // second one arrives on it: the sidecar's keep-alive pool meets a dead socket every time.
    const upstream = createServer((req, res) => {
      const n = ((req.socket as { served?: number }).served ?? 0) + 1;
      (req.socket as { served?: number }).served = n;
      if (n > 1) {
        req.socket.destroy();
        return;
      }
      res.end("ok");
    });
    await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const sc = await startSidecar(
      { clusters: [{ name: "v1", url }], plugin: { enabled: false } },
      { log: createLogger({}, { write: () => {} }) },
    );
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push(await send(sc.url, { headers: { host: "x" } }));
    const text = sc.stats.prometheus();
    await sc.stop();
    await new Promise((r) => upstream.close(r));
    expect(replies.map((r) => [r.status, r.body])).toEqual([
      [200, "ok"],
      [200, "ok"],
      [200, "ok"],
    ]);
    expect(series(text, "envoy_cluster_upstream_rq_retry", { envoy_cluster_name: "v1" })).toBe(2);
  });
});
