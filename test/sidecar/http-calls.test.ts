import { describe, expect, it } from "vitest";
import { Emulator, HostUsageError } from "../../sidecar/src/host/index.js";
import { guestText, probe, put, slot } from "../fixtures/wasm/probe.js";

type S = { s(t: string): string; pairs(p: [string, string][]): string };

const call = (s: S, headers: [string, string][], timeout = 1000, cluster = "outbound|80||auth") =>
  `(call $proxy_http_call ${s.s(cluster)} ${s.pairs(headers)} ${s.s("body")} ${s.pairs([])} (i32.const ${timeout}) (i32.const 540))`;

const full: [string, string][] = [
  [":method", "GET"],
  [":path", "/check"],
  [":authority", "auth"],
];

describe("proxy_http_call", () => {
  it("refuses calls without :method, :path or :authority, or with a negative timeout", async () => {
    const wasm = await probe((s) => ({
      on: {
        proxy_on_configure: `
          ${put(
            1,
            call(
              s,
              full.filter(([k]) => k !== ":method"),
            ),
          )}
          ${put(
            2,
            call(
              s,
              full.filter(([k]) => k !== ":path"),
            ),
          )}
          ${put(
            3,
            call(
              s,
              full.filter(([k]) => k !== ":authority"),
            ),
          )}
          ${put(4, call(s, full, -1))}
          ${put(5, call(s, full, 1000, ""))}
          ${put(6, call(s, full))} ${put(7, "(i32.load (i32.const 540))")}
          (i32.const 1)`,
      },
    }));
    const em = await Emulator.start({ wasm });
    expect([1, 2, 3, 4, 5, 6].map((i) => slot(em, i))).toEqual([2, 2, 2, 2, 2, 0]);
    expect(slot(em, 7)).toBe(1);
    expect(em.httpCalls()).toEqual([
      {
        token: 1,
        cluster: "outbound|80||auth",
        headers: full,
        body: "body",
        trailers: [],
        timeoutMs: 1000,
        contextId: 1,
      },
    ]);
  });

  it("refuses clusters Envoy does not know when the cluster list is given", async () => {
    const wasm = await probe((s) => ({
      on: {
        proxy_on_configure: `${put(1, call(s, full, 10, "nope"))} ${put(2, call(s, full, 10, "known"))} (i32.const 1)`,
      },
    }));
    const em = await Emulator.start({ wasm, clusters: ["known"] });
    expect([slot(em, 1), slot(em, 2)]).toEqual([2, 0]);
  });

  it("makes a call from a stream on the root context and resumes the stream from the answer", async () => {
    // The SDK pattern: remember the stream, pause it, answer on the root context, switch to the
    // stream with proxy_set_effective_context, copy a response header, continue the stream.
    const wasm = await probe((s) => ({
      on: {
        proxy_on_request_headers: `
          (i32.store (i32.const 600) (local.get $ctx))
          ${put(1, call(s, full))} (i32.const 1)`,
        proxy_on_http_call_response: `
          ${put(2, "(local.get $ctx)")} ${put(3, "(local.get $token)")} ${put(4, "(local.get $nh)")}
          ${put(5, "(local.get $bs)")}
          ${put(6, `(call $proxy_get_header_map_value (i32.const 6) ${s.s(":status")} (i32.const 512) (i32.const 516))`)}
          ${put(7, "(call $proxy_set_effective_context (i32.load (i32.const 600)))")}
          ${put(8, `(call $proxy_add_header_map_value (i32.const 0) ${s.s("x-auth")} (i32.load (i32.const 512)) (i32.load (i32.const 516)))`)}
          ${put(9, `(call $proxy_get_buffer_bytes (i32.const 4) (i32.const 0) (i32.const 100) (i32.const 520) (i32.const 524))`)}
          ${put(10, "(call $proxy_continue_stream (i32.const 0))")}
          ${put(11, "(call $proxy_set_effective_context (i32.const 99))")}`,
      },
    }));
    const em = await Emulator.start({ wasm });
    const st = em.stream();
    expect(st.sendRequestHeaders({ ":path": "/" })).toBe("StopAllIterationAndWatermark");
    expect(st.paused).toBe(true);
    const [pending] = em.httpCalls();
    expect(pending?.contextId).toBe(em.rootContextId);
    em.respondToHttpCall(pending?.token ?? 0, {
      status: 200,
      headers: { "x-a": "b" },
      body: "ok!",
    });
    expect([2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((i) => slot(em, i))).toEqual([
      1, 1, 2, 3, 0, 0, 0, 0, 0, 2,
    ]);
    expect(st.header("x-auth")).toBe("200");
    expect(st.paused).toBe(false);
    expect(em.httpCalls()).toEqual([]);
  });

  it("delivers a reset as zero headers and body, with proxy_get_status BrokenConnection", async () => {
    const wasm = await probe((s) => ({
      on: {
        proxy_on_configure: `(drop ${call(s, full)}) (i32.const 1)`,
        proxy_on_http_call_response: `
          ${put(1, "(local.get $nh)")} ${put(2, "(local.get $bs)")} ${put(3, "(local.get $nt)")}
          ${put(4, "(call $proxy_get_status (i32.const 520) (i32.const 512) (i32.const 516))")}
          ${put(5, "(i32.load (i32.const 520))")}
          ${put(6, "(i32.load (i32.const 512))")} ${put(7, "(i32.load (i32.const 516))")}
          ${put(8, `(call $proxy_get_header_map_value (i32.const 6) ${s.s(":status")} (i32.const 512) (i32.const 516))`)}`,
      },
    }));
    const em = await Emulator.start({ wasm });
    em.respondToHttpCall(1, "reset");
    expect([1, 2, 3, 4, 5].map((i) => slot(em, i))).toEqual([0, 0, 0, 0, 11]);
    expect(guestText(em, slot(em, 6), slot(em, 7))).toBe("reset");
    // onHttpCallFailure sets no response, so the response maps are unavailable: BadArgument.
    expect(slot(em, 8)).toBe(2);
  });

  it("refuses to answer a call that is not pending", async () => {
    const em = await Emulator.start({ wasm: await probe(() => ({})) });
    expect(() => em.respondToHttpCall(5, "reset")).toThrow(HostUsageError);
  });
});

describe("local replies from an http call's answer", () => {
  it("answers the paused stream and runs its response callback", async () => {
    const wasm = await probe((s) => ({
      on: {
        proxy_on_request_headers: `
          (i32.store (i32.const 600) (local.get $ctx))
          (drop ${call(s, full)}) (i32.const 1)`,
        proxy_on_http_call_response: `
          (drop (call $proxy_set_effective_context (i32.load (i32.const 600))))
          ${put(1, `(call $proxy_send_local_response (i32.const 401) ${s.s("auth failed")} ${s.s("")} ${s.pairs([])} (i32.const -1))`)}`,
        proxy_on_response_headers: `${put(2, "(local.get $n)")} (i32.const 0)`,
      },
    }));
    const em = await Emulator.start({ wasm });
    const st = em.stream();
    st.sendRequestHeaders({});
    em.respondToHttpCall(1, { status: 403 });
    expect(st.localResponse).toEqual({
      status: 401,
      body: "",
      headers: [],
      details: "auth_failed",
    });
    expect(slot(em, 2)).toBe(1);
    expect(st.responseHeaders()).toEqual([[":status", "401"]]);
  });
});
