import { describe, expect, it } from "vitest";
import { Emulator, type RouteConfig, RouteConfigError } from "../../sidecar/src/host/index.js";
import { probe, put, slot } from "../fixtures/wasm/probe.js";

const REQ = "(i32.const 0)";
const clearCache = (s: { s(t: string): string }) =>
  `(call $proxy_call_foreign_function ${s.s("clear_route_cache")} (i32.const 0) (i32.const 0) (i32.const 520) (i32.const 524))`;

/** A probe that sets the routing header (and mirror header) and optionally clears the cache. */
async function router(opts: { clear: boolean; mirror?: string; setHeader?: boolean }) {
  return probe((s) => ({
    on: {
      proxy_on_request_headers: `
        ${opts.setHeader === false ? "" : `(drop (call $proxy_replace_header_map_value ${REQ} ${s.s("x-cohort-version")} ${s.s("v2")}))`}
        ${opts.mirror ? `(drop (call $proxy_replace_header_map_value ${REQ} ${s.s("x-cohort-mirror")} ${s.s(opts.mirror)}))` : ""}
        ${opts.clear ? put(1, clearCache(s)) : ""}
        (i32.const 0)`,
    },
  }));
}

describe("route selection", () => {
  it("picks the route at request start", async () => {
    const em = await Emulator.start({ wasm: await router({ clear: false, setHeader: false }) });
    const st = em.stream();
    st.sendRequestHeaders({ "x-cohort-version": "v1" });
    expect(st.route).toEqual({ cluster: "v1" });
    expect(st.routeSelections).toBe(1);
  });

  it("re-picks the route after the filter changed request headers (ABI 0.2.1)", async () => {
    const em = await Emulator.start({ wasm: await router({ clear: false }) });
    const st = em.stream();
    st.sendRequestHeaders({ ":path": "/" });
    expect(st.route).toEqual({ cluster: "v2" });
    expect(st.routeSelections).toBe(2);
  });

  it("keeps the first route when header changes do not clear the cache and nothing else does", async () => {
    const em = await Emulator.start({
      wasm: await router({ clear: false }),
      headerChangeClearsRouteCache: false,
    });
    const st = em.stream();
    st.sendRequestHeaders({ ":path": "/" });
    expect(st.header("x-cohort-version")).toBe("v2");
    expect(st.route).toEqual({ cluster: "default" });
    expect(st.routeSelections).toBe(1);
  });

  it("re-picks the route after the foreign function clear_route_cache", async () => {
    const em = await Emulator.start({
      wasm: await router({ clear: true }),
      headerChangeClearsRouteCache: false,
    });
    const st = em.stream();
    st.sendRequestHeaders({ ":path": "/" });
    expect(slot(em, 1)).toBe(0);
    expect(st.route).toEqual({ cluster: "v2" });
    expect(st.routeSelections).toBe(2);
  });

  it("answers NotFound for clear_route_cache like Envoy before 1.33, and does not re-route", async () => {
    const em = await Emulator.start({
      wasm: await router({ clear: true }),
      headerChangeClearsRouteCache: false,
      clearRouteCache: "not-found",
    });
    const st = em.stream();
    st.sendRequestHeaders({ ":path": "/" });
    expect(slot(em, 1)).toBe(1);
    expect(st.route).toEqual({ cluster: "default" });
  });

  it("answers NotFound for foreign functions Envoy does not have", async () => {
    const wasm = await probe((s) => ({
      on: {
        proxy_on_request_headers: `${put(1, `(call $proxy_call_foreign_function ${s.s("no_such_fn")} (i32.const 0) (i32.const 0) (i32.const 520) (i32.const 524))`)} (i32.const 0)`,
      },
    }));
    const em = await Emulator.start({ wasm });
    em.stream().sendRequestHeaders({});
    expect(slot(em, 1)).toBe(1);
  });

  it("applies the mirror policy of the route that matches the mirror header", async () => {
    const em = await Emulator.start({ wasm: await router({ clear: true, mirror: "v3" }) });
    const st = em.stream();
    st.sendRequestHeaders({ ":path": "/" });
    expect(st.route).toEqual({ cluster: "v2", mirrorCluster: "v3" });
  });

  it("routes by a configured table: first matching rule, fixed clusters, default", async () => {
    const routes: RouteConfig = {
      rules: [
        {
          match: { "x-cohort-version": "v2", "x-cohort-mirror": "v3" },
          cluster: "outbound|80|v2|shop",
          mirror: { cluster: "outbound|80|v3|shop" },
        },
        { match: { "x-cohort-version": { exact: "v2" } }, cluster: "outbound|80|v2|shop" },
      ],
      defaultCluster: "outbound|80|v1|shop",
    };
    const em = await Emulator.start({ wasm: await router({ clear: true }), routes });
    const a = em.stream();
    a.sendRequestHeaders({});
    expect(a.route).toEqual({ cluster: "outbound|80|v2|shop" });
    const em2 = await Emulator.start({ wasm: await router({ clear: true, mirror: "v3" }), routes });
    const b = em2.stream();
    b.sendRequestHeaders({});
    expect(b.route).toEqual({
      cluster: "outbound|80|v2|shop",
      mirrorCluster: "outbound|80|v3|shop",
    });
    const em3 = await Emulator.start({
      wasm: await router({ clear: false, setHeader: false }),
      routes,
    });
    const c = em3.stream();
    c.sendRequestHeaders({});
    expect(c.route).toEqual({ cluster: "outbound|80|v1|shop" });
  });

  it("re-picks the route only when a paused request continues", async () => {
    const wasm = await probe((s) => ({
      on: {
        proxy_on_request_headers: `
          (drop (call $proxy_replace_header_map_value ${REQ} ${s.s("x-cohort-version")} ${s.s("v2")}))
          (i32.const 1)`,
        proxy_on_tick: `(drop (call $proxy_set_effective_context (i32.const 2)))
          (drop (call $proxy_continue_stream (i32.const 0)))`,
        proxy_on_configure:
          "(drop (call $proxy_set_tick_period_milliseconds (i32.const 10))) (i32.const 1)",
      },
    }));
    const em = await Emulator.start({ wasm });
    const st = em.stream();
    st.sendRequestHeaders({});
    expect(st.paused).toBe(true);
    expect(st.route).toEqual({ cluster: "default" });
    em.tick();
    expect(st.paused).toBe(false);
    expect(st.route).toEqual({ cluster: "v2" });
    expect(st.routeSelections).toBe(2);
  });

  it("refuses a route table whose rule has neither cluster nor clusterHeader", async () => {
    const routes = { rules: [{ match: {} }], defaultCluster: "d" } as RouteConfig;
    const err = await Emulator.start({ wasm: await router({ clear: false }), routes }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RouteConfigError);
    expect((err as Error).message).toBe(
      "routes.rules[0]: exactly one of cluster or clusterHeader is required",
    );
  });
});

describe("properties", () => {
  it("stores proxy_set_property as filter state the stream exposes and the guest reads back", async () => {
    const wasm = await probe((s) => ({
      on: {
        proxy_on_request_headers: `
          ${put(1, `(call $proxy_set_property ${s.s("cohort.decision")} ${s.s('{"version":"v2"}')})`)}
          ${put(2, `(call $proxy_get_property ${s.s("cohort.decision")} (i32.const 512) (i32.const 516))`)}
          ${put(3, "(i32.load (i32.const 516))")}
          ${put(4, `(call $proxy_get_property ${s.s("nothing.here")} (i32.const 512) (i32.const 516))`)}
          (i32.const 0)`,
      },
    }));
    const em = await Emulator.start({ wasm });
    const st = em.stream();
    st.sendRequestHeaders({});
    expect([slot(em, 1), slot(em, 2), slot(em, 3), slot(em, 4)]).toEqual([0, 0, 16, 1]);
    expect(st.property("cohort.decision")).toBe('{"version":"v2"}');
    expect(st.property("other")).toBeUndefined();
  });

  it("answers NotFound for proxy_set_property on the root context (no stream info)", async () => {
    const wasm = await probe((s) => ({
      on: {
        proxy_on_configure: `${put(1, `(call $proxy_set_property ${s.s("a")} ${s.s("b")})`)} (i32.const 1)`,
      },
    }));
    const em = await Emulator.start({ wasm });
    expect(slot(em, 1)).toBe(1);
  });

  it("answers plugin_root_id and request attributes", async () => {
    const wasm = await probe((s) => ({
      on: {
        proxy_on_request_headers: `
          ${put(1, `(call $proxy_get_property ${s.s("plugin_root_id")} (i32.const 512) (i32.const 516))`)}
          ${put(2, "(i32.load (i32.const 512))")} ${put(3, "(i32.load (i32.const 516))")}
          ${put(4, `(call $proxy_get_property ${s.s("request\0path")} (i32.const 512) (i32.const 516))`)}
          ${put(5, "(i32.load (i32.const 512))")} ${put(6, "(i32.load (i32.const 516))")}
          (i32.const 0)`,
      },
    }));
    const em = await Emulator.start({ wasm, rootId: "cohort-gw" });
    em.stream().sendRequestHeaders({ ":path": "/cart?x=1" });
    const text = (p: number, n: number) =>
      new TextDecoder().decode(em.memoryView().slice(p, p + n));
    expect(slot(em, 1)).toBe(0);
    expect(text(slot(em, 2), slot(em, 3))).toBe("cohort-gw");
    expect(slot(em, 4)).toBe(0);
    expect(text(slot(em, 5), slot(em, 6))).toBe("/cart?x=1");
  });
});
