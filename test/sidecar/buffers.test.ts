import { describe, expect, it } from "vitest";
import { Emulator } from "../../sidecar/src/host/index.js";
import { guestText, probe, put, slot } from "../fixtures/wasm/probe.js";

const BODY = "(i32.const 0)";
const set = (s: { s(t: string): string }, start: number, length: number, text: string) =>
  `(call $proxy_set_buffer_bytes ${BODY} (i32.const ${start}) (i32.const ${length}) ${s.s(text)})`;
const get = (start: number, length: number) =>
  `(call $proxy_get_buffer_bytes ${BODY} (i32.const ${start}) (i32.const ${length}) (i32.const 512) (i32.const 516))`;

describe("body buffers", () => {
  it("changes a body like Envoy's buffer: prepend at 0, replace a prefix or all, append at the end", async () => {
    const wasm = await probe((s) => ({
      on: {
        proxy_on_request_body: `
          ${put(1, set(s, 0, 0, "<"))}
          ${put(2, set(s, 100, 0, ">"))}
          ${put(3, set(s, 2, 1, "x"))}
          ${put(4, get(0, 100))} ${put(5, "(i32.load (i32.const 512))")} ${put(6, "(i32.load (i32.const 516))")}
          ${put(12, set(s, 0, 2, "[["))}
          ${put(13, get(0, 100))} ${put(14, "(i32.load (i32.const 512))")} ${put(15, "(i32.load (i32.const 516))")}
          ${put(7, set(s, 0, 1000, "all new"))}
          ${put(8, get(4, 100))} ${put(9, "(i32.load (i32.const 512))")} ${put(10, "(i32.load (i32.const 516))")}
          ${put(11, get(50, 10))}
          (i32.const 0)`,
      },
    }));
    const em = await Emulator.start({ wasm });
    const st = em.stream();
    st.sendRequestHeaders({});
    st.sendRequestBody("body", true);
    expect([1, 2, 3, 4, 7, 8, 11, 12].map((i) => slot(em, i))).toEqual([0, 0, 2, 0, 0, 0, 1, 0]);
    expect(guestText(em, slot(em, 14), slot(em, 15))).toBe("[[ody>");
    expect(guestText(em, slot(em, 5), slot(em, 6))).toBe("<body>");
    expect(guestText(em, slot(em, 9), slot(em, 10))).toBe("new");
  });

  it("answers NotFound for a body outside its callback", async () => {
    const wasm = await probe(() => ({
      on: { proxy_on_response_headers: `${put(1, get(0, 10))} (i32.const 0)` },
    }));
    const em = await Emulator.start({ wasm });
    const st = em.stream();
    st.sendRequestHeaders({});
    st.sendRequestBody("abc", true);
    st.sendResponseHeaders({ ":status": "200" });
    expect(slot(em, 1)).toBe(1);
  });
});

describe("start functions", () => {
  it("runs _start when the module has no _initialize (a WASI command)", async () => {
    const wasm = await probe((s) => ({
      omit: ["_initialize"],
      extra: `(func (export "_start") (call $info ${s.s("started")}))`,
    }));
    const em = await Emulator.start({ wasm });
    expect(em.logs()).toEqual([{ level: "info", message: "started" }]);
  });
});
