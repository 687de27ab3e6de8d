import { describe, expect, it } from "vitest";
import { PAIRS_MAX_COUNT, unmarshalPairs } from "../../sidecar/src/host/header-map.js";
import { Emulator } from "../../sidecar/src/host/index.js";
import { guestText, OUT_PTR, OUT_SIZE, probe, put, slot } from "../fixtures/wasm/probe.js";

const REQ = "(i32.const 0)";
const RESP = "(i32.const 2)";
const OUT = `(i32.const ${OUT_PTR}) (i32.const ${OUT_SIZE})`;
const outPtr = "(i32.load (i32.const 512))";
const outSize = "(i32.load (i32.const 516))";

describe("header maps", () => {
  it("get answers the first value, case-insensitively, and NotFound when absent", async () => {
    const wasm = await probe((s) => ({
      on: {
        proxy_on_request_headers: `
          ${put(1, `(call $proxy_get_header_map_value ${REQ} ${s.s("X-Dup")} ${OUT})`)}
          ${put(2, outPtr)} ${put(3, outSize)}
          ${put(4, `(call $proxy_get_header_map_value ${REQ} ${s.s("x-none")} ${OUT})`)}
          (i32.const 0)`,
      },
    }));
    const em = await Emulator.start({ wasm });
    em.stream().sendRequestHeaders([
      ["x-dup", "first"],
      ["x-dup", "second"],
    ]);
    expect(slot(em, 1)).toBe(0);
    expect(guestText(em, slot(em, 2), slot(em, 3))).toBe("first");
    expect(slot(em, 4)).toBe(1);
  });

  it("add appends a duplicate, replace leaves one value at the end, remove of a missing key is Ok", async () => {
    const wasm = await probe((s) => ({
      on: {
        proxy_on_request_headers: `
          ${put(1, `(call $proxy_add_header_map_value ${REQ} ${s.s("X-Dup")} ${s.s("third")})`)}
          ${put(2, `(call $proxy_replace_header_map_value ${REQ} ${s.s("x-a")} ${s.s("A2")})`)}
          ${put(3, `(call $proxy_remove_header_map_value ${REQ} ${s.s("x-missing")})`)}
          ${put(4, `(call $proxy_replace_header_map_value ${REQ} ${s.s("x-new")} ${s.s("n")})`)}
          (i32.const 0)`,
      },
    }));
    const em = await Emulator.start({ wasm });
    const st = em.stream();
    st.sendRequestHeaders([
      [":authority", "shop"],
      ["x-a", "A1"],
      ["x-dup", "first"],
      ["x-a", "A1b"],
    ]);
    expect([slot(em, 1), slot(em, 2), slot(em, 3), slot(em, 4)]).toEqual([0, 0, 0, 0]);
    expect(st.requestHeaders()).toEqual([
      [":authority", "shop"],
      ["x-dup", "first"],
      ["x-dup", "third"],
      ["x-a", "A2"],
      ["x-new", "n"],
    ]);
  });

  it("hands the map over in the pairs serialization with lower-case keys", async () => {
    const wasm = await probe(() => ({
      on: {
        proxy_on_request_headers: `
          ${put(1, `(call $proxy_get_header_map_pairs ${REQ} ${OUT})`)}
          ${put(2, outPtr)} ${put(3, outSize)} (i32.const 0)`,
      },
    }));
    const em = await Emulator.start({ wasm });
    em.stream().sendRequestHeaders([
      [":path", "/ü"],
      ["X-Up", "v"],
    ]);
    expect(slot(em, 1)).toBe(0);
    const bytes = em.memoryView().slice(slot(em, 2), slot(em, 2) + slot(em, 3));
    // u32 count, (u32 key_len, u32 value_len) × 2, then "key\0value\0" × 2, little-endian.
    const expected = [
      2,
      0,
      0,
      0,
      5,
      0,
      0,
      0,
      3,
      0,
      0,
      0,
      4,
      0,
      0,
      0,
      1,
      0,
      0,
      0,
      ...new TextEncoder().encode(":path\0/ü\0x-up\0v\0"),
    ];
    expect([...bytes]).toEqual(expected);
  });

  it("hands an empty map over as a null pointer and zero size", async () => {
    const wasm = await probe(() => ({
      on: {
        proxy_on_response_headers: `
          (i32.store (i32.const 512) (i32.const 99))
          ${put(1, `(call $proxy_get_header_map_pairs ${RESP} ${OUT})`)}
          ${put(2, outPtr)} ${put(3, outSize)} (i32.const 0)`,
      },
    }));
    const em = await Emulator.start({ wasm });
    const st = em.stream();
    st.sendRequestHeaders({ a: "b" });
    st.sendResponseHeaders([]);
    expect([slot(em, 1), slot(em, 2), slot(em, 3)]).toEqual([0, 0, 0]);
  });

  it("replaces the whole map from pairs the guest wrote", async () => {
    const wasm = await probe((s) => ({
      on: {
        proxy_on_request_headers: `
          ${put(
            1,
            `(call $proxy_set_header_map_pairs ${REQ} ${s.pairs([
              ["X-One", "1"],
              ["x-two", "2"],
            ])})`,
          )}
          (i32.const 0)`,
      },
    }));
    const em = await Emulator.start({ wasm });
    const st = em.stream();
    st.sendRequestHeaders({ old: "gone" });
    expect(st.requestHeaders()).toEqual([
      ["x-one", "1"],
      ["x-two", "2"],
    ]);
  });

  it("reports the map's byte size like HeaderMap::byteSize", async () => {
    const wasm = await probe(() => ({
      on: {
        proxy_on_request_headers: `
          ${put(1, `(call $proxy_get_header_map_size ${REQ} (i32.const 520))`)}
          ${put(2, "(i32.load (i32.const 520))")} (i32.const 0)`,
      },
    }));
    const em = await Emulator.start({ wasm });
    em.stream().sendRequestHeaders({ ab: "cde", f: "" });
    expect([slot(em, 1), slot(em, 2)]).toEqual([0, 6]);
  });

  it("answers BadArgument for request headers once their callback has returned", async () => {
    const wasm = await probe((s) => ({
      on: {
        proxy_on_request_body: `
          ${put(1, `(call $proxy_get_header_map_value ${REQ} ${s.s("a")} ${OUT})`)}
          ${put(2, `(call $proxy_add_header_map_value ${REQ} ${s.s("late")} ${s.s("x")})`)}
          (i32.const 0)`,
        proxy_on_response_headers: `
          ${put(3, `(call $proxy_replace_header_map_value ${REQ} ${s.s("a")} ${s.s("x")})`)}
          (i32.const 0)`,
      },
    }));
    const em = await Emulator.start({ wasm });
    const st = em.stream();
    st.sendRequestHeaders({ a: "b" });
    st.sendRequestBody("body", true);
    st.sendResponseHeaders({ ":status": "200" });
    expect([slot(em, 1), slot(em, 2), slot(em, 3)]).toEqual([2, 2, 2]);
    expect(st.requestHeaders()).toEqual([["a", "b"]]);
  });

  it("keeps request headers writable while the stream is paused", async () => {
    const wasm = await probe((s) => ({
      on: {
        proxy_on_request_headers: "(i32.const 1)",
        proxy_on_request_body: `
          ${put(1, `(call $proxy_add_header_map_value ${REQ} ${s.s("late")} ${s.s("x")})`)}
          (i32.const 0)`,
      },
    }));
    const em = await Emulator.start({ wasm });
    const st = em.stream();
    expect(st.sendRequestHeaders({ a: "b" })).toBe("StopAllIterationAndWatermark");
    st.sendRequestBody("x", true);
    expect(slot(em, 1)).toBe(0);
    expect(st.header("late")).toBe("x");
  });

  it("lets on_log read request and response headers but not change them", async () => {
    const wasm = await probe((s) => ({
      on: {
        proxy_on_log: `
          ${put(1, `(call $proxy_get_header_map_value ${REQ} ${s.s("x-user")} ${OUT})`)}
          ${put(2, `(call $proxy_get_header_map_value ${RESP} ${s.s(":status")} ${OUT})`)}
          ${put(3, outPtr)} ${put(4, outSize)}
          ${put(5, `(call $proxy_add_header_map_value ${REQ} ${s.s("x")} ${s.s("y")})`)}`,
      },
    }));
    const em = await Emulator.start({ wasm });
    const st = em.stream();
    st.sendRequestHeaders({ "x-user": "u" });
    st.sendResponseHeaders({ ":status": "204" });
    st.complete();
    expect([slot(em, 1), slot(em, 2), slot(em, 5)]).toEqual([0, 0, 2]);
    expect(guestText(em, slot(em, 3), slot(em, 4))).toBe("204");
  });

  it("answers BadArgument for stream maps on the root context", async () => {
    const wasm = await probe((s) => ({
      on: {
        proxy_on_configure: `
          ${put(1, `(call $proxy_get_header_map_value ${REQ} ${s.s("a")} ${OUT})`)} (i32.const 1)`,
      },
    }));
    const em = await Emulator.start({ wasm });
    expect(slot(em, 1)).toBe(2);
  });

  it("reads pairs from the guest as empty when they exceed Envoy's limits or are malformed", () => {
    const enc = (n: number) => {
      const out = new Uint8Array(4 + n * 8 + n * 4);
      const dv = new DataView(out.buffer);
      dv.setUint32(0, n, true);
      for (let i = 0; i < n; i++) {
        dv.setUint32(4 + i * 8, 1, true);
        dv.setUint32(8 + i * 8, 1, true);
      }
      const base = 4 + n * 8;
      for (let i = 0; i < n; i++) out.set([97, 0, 98, 0], base + i * 4);
      return out;
    };
    expect(unmarshalPairs(enc(PAIRS_MAX_COUNT))).toHaveLength(1024);
    expect(unmarshalPairs(enc(PAIRS_MAX_COUNT + 1))).toEqual([]);
    expect(unmarshalPairs(new Uint8Array(1024 * 1024 + 1))).toEqual([]);
    expect(unmarshalPairs(enc(2).subarray(0, 20))).toEqual([]);
  });

  it("re-reads memory after the guest's allocator grew it", async () => {
    const wasm = await probe(() => ({
      on: {
        proxy_on_request_headers: `
          ${put(1, "(memory.size)")}
          ${put(2, `(call $proxy_get_header_map_pairs ${REQ} ${OUT})`)}
          ${put(3, outPtr)} ${put(4, outSize)} ${put(5, "(memory.size)")} (i32.const 0)`,
      },
    }));
    const em = await Emulator.start({ wasm });
    const big = "v".repeat(100_000);
    em.stream().sendRequestHeaders({ big });
    expect(slot(em, 2)).toBe(0);
    expect(slot(em, 5)).toBeGreaterThan(slot(em, 1));
    expect(guestText(em, slot(em, 3) + 4 + 8 + 4, 100_000)).toBe(big);
  });
});
