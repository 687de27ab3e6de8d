import { describe, expect, it } from "vitest";
import { Emulator } from "../../sidecar/src/host/index.js";
import { probe, put, slot } from "../fixtures/wasm/probe.js";

const REQ = "(i32.const 0)";

describe("stream lifecycle", () => {
  it("creates the stream context under the root and ends with on_log, on_done, on_delete", async () => {
    const wasm = await probe((s) => ({
      on: {
        proxy_on_context_create: `(if (i32.ne (local.get $parent) (i32.const 0))
          (then ${put(1, "(local.get $ctx)")} ${put(2, "(local.get $parent)")} (call $info ${s.s("create")})))`,
        proxy_on_request_headers: `(call $info ${s.s("request headers")}) (i32.const 0)`,
        proxy_on_response_headers: `(call $info ${s.s("response headers")}) (i32.const 0)`,
        proxy_on_log: `(call $info ${s.s("log")})`,
        proxy_on_done: `(call $info ${s.s("done")}) (i32.const 1)`,
        proxy_on_delete: `(call $info ${s.s("delete")})`,
      },
    }));
    const em = await Emulator.start({ wasm });
    const st = em.stream();
    st.sendRequestHeaders({});
    st.sendResponseHeaders({ ":status": "200" });
    st.complete();
    expect([slot(em, 1), slot(em, 2)]).toEqual([2, 1]);
    expect(em.logs().map((l) => l.message)).toEqual([
      "create",
      "request headers",
      "response headers",
      "log",
      "done",
      "delete",
    ]);
  });

  it("passes body chunks and keeps them buffered while the filter asks to buffer", async () => {
    const wasm = await probe((s) => ({
      on: {
        proxy_on_request_body: `
          ${put(1, "(local.get $size)")} ${put(2, "(local.get $eos)")}
          (if (result i32) (local.get $eos)
            (then
              ${put(3, `(call $proxy_set_buffer_bytes ${REQ} (i32.const 0) (i32.const 100) ${s.s("replaced")})`)}
              (i32.const 0))
            (else (i32.const 1)))`,
      },
    }));
    const em = await Emulator.start({ wasm });
    const st = em.stream();
    st.sendRequestHeaders({});
    expect(st.sendRequestBody("abc")).toBe("StopIterationAndBuffer");
    expect(st.sendRequestBody("defg", true)).toBe("Continue");
    expect([slot(em, 1), slot(em, 2), slot(em, 3)]).toEqual([7, 1, 0]);
  });

  it("reads the plugin configuration only during on_configure and the VM configuration always", async () => {
    const wasm = await probe(() => ({
      on: {
        proxy_on_configure: `
          ${put(1, "(call $proxy_get_buffer_bytes (i32.const 7) (i32.const 0) (local.get $size) (i32.const 512) (i32.const 516))")}
          ${put(2, "(i32.load (i32.const 516))")} (i32.const 1)`,
        proxy_on_request_headers: `
          ${put(3, "(call $proxy_get_buffer_bytes (i32.const 7) (i32.const 0) (i32.const 10) (i32.const 512) (i32.const 516))")}
          ${put(4, "(call $proxy_get_buffer_status (i32.const 6) (i32.const 520) (i32.const 524))")}
          ${put(5, "(i32.load (i32.const 520))")} (i32.const 0)`,
      },
    }));
    const em = await Emulator.start({ wasm, pluginConfig: { k: "v" }, vmConfig: "vm-cfg" });
    em.stream().sendRequestHeaders({});
    expect([1, 2, 3, 4, 5].map((i) => slot(em, i))).toEqual([0, 9, 1, 0, 6]);
  });

  it("sends a local response after the callback returns, and the filter sees its headers", async () => {
    const wasm = await probe((s) => ({
      on: {
        proxy_on_request_headers: `
          ${put(1, `(call $proxy_send_local_response (i32.const 403) ${s.s("denied by cohort")} ${s.s("nope")} ${s.pairs([["X-Why", "test"]])} (i32.const -1))`)}
          (i32.const 1)`,
        proxy_on_response_headers: `${put(2, "(local.get $n)")} (i32.const 0)`,
      },
    }));
    const em = await Emulator.start({ wasm });
    const st = em.stream();
    st.sendRequestHeaders({});
    expect(st.localResponse).toEqual({
      status: 403,
      body: "nope",
      headers: [["x-why", "test"]],
      details: "denied_by_cohort",
    });
    expect(slot(em, 2)).toBe(4);
    expect(st.responseHeaders()).toEqual([
      [":status", "403"],
      ["content-length", "4"],
      ["content-type", "text/plain"],
      ["x-why", "test"],
    ]);
  });
});

describe("a local reply stops the stream", () => {
  it("reads the callback's Continue as a stop once the filter sent a local reply", async () => {
    const wasm = await probe((s) => ({
      on: {
        proxy_on_request_headers: `
          (drop (call $proxy_replace_header_map_value ${REQ} ${s.s("x-cohort-version")} ${s.s("v2")}))
          (drop (call $proxy_send_local_response (i32.const 429) ${s.s("")} ${s.s("")} ${s.pairs([])} (i32.const -1)))
          (i32.const 0)`,
      },
    }));
    const em = await Emulator.start({ wasm });
    const st = em.stream();
    expect(st.sendRequestHeaders({})).toBe("StopAllIterationAndWatermark");
    expect(st.localResponse?.status).toBe(429);
    expect(st.routeSelections).toBe(1);
    expect(st.sendRequestBody("ignored", true)).toBe("Continue");
  });
});

describe("failure after a trap", () => {
  const trapping = () =>
    probe((s) => ({
      on: {
        proxy_on_request_headers: `
          (if (i32.eqz (i32.load (i32.const 700))) (then (i32.store (i32.const 700) (i32.const 1)) unreachable))
          (drop (call $proxy_add_header_map_value ${REQ} ${s.s("x-touched")} ${s.s("1")}))
          (i32.const 0)`,
        proxy_on_log: `(call $info ${s.s("log")})`,
      },
    }));

  it("answers 503 wasm_fail_stream under FAIL_CLOSE, now and for later streams", async () => {
    const em = await Emulator.start({ wasm: await trapping() });
    const a = em.stream();
    expect(a.sendRequestHeaders({})).toBe("StopAllIterationAndWatermark");
    expect(em.failed).toBe(true);
    expect(em.failure).toMatch(/^Function: proxy_on_request_headers failed: unreachable/);
    expect(a.localResponse).toEqual({
      status: 503,
      body: "",
      headers: [],
      details: "wasm_fail_stream",
    });
    const b = em.stream();
    b.sendRequestHeaders({});
    expect(b.localResponse?.details).toBe("wasm_fail_stream");
    b.complete();
    expect(em.logs()).toEqual([]);
  });

  it("lets traffic through untouched under FAIL_OPEN and skips every later callback", async () => {
    const em = await Emulator.start({ wasm: await trapping(), failStrategy: "FAIL_OPEN" });
    const a = em.stream();
    expect(a.sendRequestHeaders({ a: "1" })).toBe("Continue");
    expect(a.localResponse).toBeUndefined();
    a.complete();
    const b = em.stream();
    expect(b.sendRequestHeaders({ a: "1" })).toBe("Continue");
    b.complete();
    expect(b.requestHeaders()).toEqual([["a", "1"]]);
    expect(em.logs()).toEqual([]);
  });
});

describe("reconfiguration (ECDS)", () => {
  const configurable = () =>
    probe((s) => ({
      extra: "(global $configures (mut i32) (i32.const 0))",
      on: {
        proxy_on_configure: `
          (global.set $configures (i32.add (global.get $configures) (i32.const 1)))
          ${put(1, "(global.get $configures)")} ${put(2, "(local.get $ctx)")}
          (if (result i32) (i32.eq (local.get $size) (i32.const 3))
            (then (call $error ${s.s("bad config")}) (i32.const 0))
            (else (i32.const 1)))`,
        proxy_on_done: `(call $info ${s.s("root done")}) (i32.const 1)`,
        proxy_on_delete: `(call $info ${s.s("root delete")})`,
        proxy_on_request_headers: `${put(3, "(local.get $ctx)")} (i32.const 0)`,
      },
    }));

  it("configures a new root context on the same VM, whose globals survive", async () => {
    const em = await Emulator.start({ wasm: await configurable(), pluginConfig: "{}" });
    expect([slot(em, 1), slot(em, 2)]).toEqual([1, 1]);
    expect(em.configure('{"a":1}')).toBe(true);
    expect(slot(em, 1)).toBe(2);
    expect(em.rootContextId).toBe(2);
    expect(em.logs().map((l) => l.message)).toEqual(["root done", "root delete"]);
    const st = em.stream();
    st.sendRequestHeaders({});
    expect(slot(em, 3)).toBe(3);
  });

  it("refuses a config the canary rejects and keeps the old root context serving", async () => {
    const em = await Emulator.start({ wasm: await configurable(), pluginConfig: "{}" });
    expect(em.configure("bad")).toBe(false);
    expect(em.rootContextId).toBe(1);
    expect(slot(em, 1)).toBe(1);
    expect(em.logs("error").map((l) => l.message)).toEqual(["bad config"]);
    em.stream().sendRequestHeaders({});
    expect(em.failed).toBe(false);
  });
});

describe("a root context that is not done yet", () => {
  it("keeps the old root after on_done returns false until it calls proxy_done", async () => {
    const wasm = await probe((s) => ({
      on: {
        proxy_on_done: `
          (drop (call $proxy_http_call ${s.s("cleanup")} ${s.pairs([
            [":method", "POST"],
            [":path", "/bye"],
            [":authority", "x"],
          ])}
            (i32.const 0) (i32.const 0) ${s.pairs([])} (i32.const 100) (i32.const 540)))
          (call $info ${s.s("done?")}) (i32.const 0)`,
        proxy_on_http_call_response: `${put(1, "(call $proxy_done)")} ${put(3, "(call $proxy_done)")}`,
        proxy_on_delete: `(call $info ${s.s("deleted")}) ${put(2, "(local.get $ctx)")}`,
      },
    }));
    const em = await Emulator.start({ wasm });
    expect(em.configure("{}")).toBe(true);
    expect(em.logs().map((l) => l.message)).toEqual(["done?"]);
    expect(em.httpCalls().map((c) => c.contextId)).toEqual([1]);
    em.respondToHttpCall(1, { status: 200 });
    // WasmBase::done: Ok once, NotFound after; on_delete runs after the callback returns.
    expect([slot(em, 1), slot(em, 3), slot(em, 2)]).toEqual([0, 1, 1]);
    expect(em.logs().map((l) => l.message)).toEqual(["done?", "deleted"]);
  });
});

describe("clock, randomness and logs", () => {
  it("reads time from the manual clock, through proxy_get_current_time_nanoseconds and WASI", async () => {
    const wasm = await probe(() => ({
      on: {
        proxy_on_request_headers: `
          (drop (call $proxy_get_current_time_nanoseconds (i32.const 528)))
          ${put(1, "(i32.wrap_i64 (i64.div_u (i64.load (i32.const 528)) (i64.const 1000000)))")}
          (drop (call $clock_time_get (i32.const 1) (i64.const 1) (i32.const 536)))
          ${put(2, "(i32.wrap_i64 (i64.div_u (i64.load (i32.const 536)) (i64.const 1000000)))")}
          (i32.const 0)`,
      },
    }));
    const em = await Emulator.start({ wasm });
    em.clock.advance(1234);
    em.stream().sendRequestHeaders({});
    const nowMs = Date.UTC(2026, 0, 1) + 1234;
    expect(slot(em, 1) >>> 0).toBe(nowMs % 2 ** 32);
    expect(slot(em, 2)).toBe(1234);
  });

  it("fills random_get from the seed: same seed, same bytes", async () => {
    const wasm = await probe(() => ({
      on: {
        proxy_on_request_headers: `(drop (call $random_get (i32.const 800) (i32.const 8)))
          ${put(1, "(i32.load (i32.const 800))")} ${put(2, "(i32.load (i32.const 804))")} (i32.const 0)`,
      },
    }));
    const run = async (seed: number) => {
      const em = await Emulator.start({ wasm, randomSeed: seed });
      em.stream().sendRequestHeaders({});
      return [slot(em, 1), slot(em, 2)];
    };
    expect(await run(7)).toEqual(await run(7));
    expect(await run(7)).not.toEqual(await run(8));
  });

  it("captures logs with levels, drops those under the host level, and reports that level", async () => {
    const wasm = await probe((s) => ({
      on: {
        proxy_on_request_headers: `
          (drop (call $proxy_log (i32.const 1) ${s.s("debug line")}))
          (drop (call $proxy_log (i32.const 3) ${s.s("warn line")}))
          ${put(1, `(call $proxy_log (i32.const 9) ${s.s("x")})`)}
          (drop (call $proxy_get_log_level (i32.const 520))) ${put(2, "(i32.load (i32.const 520))")}
          (i32.store (i32.const 900) (i32.const 904)) (i32.store (i32.const 904) (i32.const 2))
          (i32.store16 (i32.const 2040) (i32.const 0x0a6f))
          (i32.store (i32.const 900) (i32.const 2040)) (i32.store (i32.const 904) (i32.const 2))
          (drop (call $fd_write (i32.const 2) (i32.const 900) (i32.const 1) (i32.const 908)))
          (i32.const 0)`,
      },
    }));
    const em = await Emulator.start({ wasm, logLevel: "info" });
    em.stream().sendRequestHeaders({});
    expect([slot(em, 1), slot(em, 2)]).toEqual([2, 2]);
    expect(em.logs()).toEqual([
      { level: "warn", message: "warn line" },
      { level: "error", message: "o" },
    ]);
    expect(em.logs("error")).toEqual([{ level: "error", message: "o" }]);
  });

  it("fires on_tick on the root context once a tick period is set", async () => {
    const wasm = await probe(() => ({
      on: {
        proxy_on_configure: `(drop (call $proxy_set_tick_period_milliseconds (i32.const 1000))) (i32.const 1)`,
        proxy_on_tick: `${put(1, "(i32.add (i32.load (i32.const 4)) (i32.const 1))")} ${put(2, "(local.get $ctx)")}`,
      },
    }));
    const em = await Emulator.start({ wasm });
    expect(em.tickPeriodMs).toBe(1000);
    em.tick();
    em.tick();
    expect([slot(em, 1), slot(em, 2)]).toEqual([2, 1]);
  });
});
