import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../../controller/src/log.js";
import { type Sidecar, startSidecar } from "../../../sidecar/src/proxy/sidecar.js";
import { probe } from "../../fixtures/wasm/probe.js";
import { send, startUpstream, type TestUpstream } from "./upstream-fixture.js";

let dir: string;
let v1: TestUpstream;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cohort-sidecar-wasm-"));
  v1 = await startUpstream("v1");
});
afterAll(() => v1.close());

/** A sidecar running the given probe module instead of the filter. */
async function withModule(wasm: Uint8Array, failStrategy = "FAIL_CLOSE"): Promise<Sidecar> {
  const file = join(dir, `probe-${Math.random().toString(36).slice(2)}.wasm`);
  writeFileSync(file, wasm);
  return startSidecar(
    {
      clusters: [{ name: "v1", url: v1.url }],
      plugin: { wasm: file, failStrategy },
    },
    { log: createLogger({}, { write: () => {} }) },
  );
}

const trapping = () =>
  probe(() => ({ on: { proxy_on_request_headers: "unreachable (i32.const 0)" } }));

describe("replies made by the Wasm module", { timeout: 30_000 }, () => {
  it("sends the module's local reply to the client without calling the upstream", async () => {
    const wasm = await probe((s) => ({
      on: {
        proxy_on_request_headers: `
          (drop (call $proxy_send_local_response (i32.const 403) ${s.s("denied_by_test")} ${s.s("nope")} ${s.pairs([["x-why", "test"]])} (i32.const -1)))
          (i32.const 1)`,
      },
    }));
    const sc = await withModule(wasm);
    const before = v1.received.length;
    const r = await send(sc.url, { headers: { host: "shop" } });
    await sc.stop();
    expect(r.status).toBe(403);
    expect(r.body).toBe("nope");
    expect(r.headers["x-why"]).toBe("test");
    expect(r.headers.server).toBe("envoy");
    expect(v1.received.length).toBe(before);
  });

  it("answers 503 once the module trapped under FAIL_CLOSE", async () => {
    const sc = await withModule(await trapping());
    const a = await send(sc.url, { headers: { host: "shop" } });
    const b = await send(sc.url, { headers: { host: "shop" } });
    expect(sc.emulator?.failure).toMatch(/proxy_on_request_headers failed/);
    await sc.stop();
    expect([a.status, b.status]).toEqual([503, 503]);
    expect(a.body).toBe("");
    expect(a.headers.server).toBe("envoy");
  });

  it("lets traffic through to the default cluster once the module trapped under FAIL_OPEN", async () => {
    const sc = await withModule(await trapping(), "FAIL_OPEN");
    const a = await send(sc.url, { headers: { host: "shop" } });
    const b = await send(sc.url, { headers: { host: "shop" } });
    await sc.stop();
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.body).toMatch(/^version=v1/);
  });
});
