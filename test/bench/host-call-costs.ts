/**
 * CPU cost of single host calls, each made 50 times per request by a probe module (its bump
 * allocator reset before each call), minus the same loop without the call. Shows where the
 * host's share of the filter's cost goes.
 */
import { Emulator } from "../../sidecar/src/host/index.js";
import { probe, type Strings } from "../fixtures/wasm/probe.js";
import { requests } from "./filter-workload.js";

const N = 50;

const CALLS: Record<string, (s: Strings) => string> = {
  "get_header_map_pairs (20 request headers)": () =>
    "(drop (call $proxy_get_header_map_pairs (i32.const 0) (i32.const 512) (i32.const 516)))",
  get_header_map_value: (s) =>
    `(drop (call $proxy_get_header_map_value (i32.const 0) ${s.s("x-user-id")} (i32.const 520) (i32.const 524)))`,
  replace_header_map_value: (s) =>
    `(drop (call $proxy_replace_header_map_value (i32.const 0) ${s.s("x-cohort-version")} ${s.s("v1")}))`,
  "remove_header_map_value (absent)": (s) =>
    `(drop (call $proxy_remove_header_map_value (i32.const 0) ${s.s("x-cohort-mirror")}))`,
  "call_foreign_function(clear_route_cache)": (s) =>
    `(drop (call $proxy_call_foreign_function ${s.s("clear_route_cache")} (i32.const 0) (i32.const 0) (i32.const 528) (i32.const 532)))`,
  "set_property (70-byte decision)": (s) =>
    `(drop (call $proxy_set_property ${s.s("cohort.decision")} ${s.s('{"experiment":"exp3","version":"v1","mirror":null,"reason":"split"}')}))`,
  get_current_time_nanoseconds: () =>
    "(drop (call $proxy_get_current_time_nanoseconds (i32.const 536)))",
  increment_metric: () =>
    "(drop (call $proxy_increment_metric (i32.load (i32.const 600)) (i64.const 1)))",
  record_metric: () =>
    "(drop (call $proxy_record_metric (i32.load (i32.const 604)) (i64.const 12)))",
};

const DEFINE = (s: Strings) =>
  `(drop (call $proxy_define_metric (i32.const 0) ${s.s("c")} (i32.const 600)))
   (drop (call $proxy_define_metric (i32.const 2) ${s.s("h")} (i32.const 604)))`;

/** CPU ns per request of a probe whose request-headers callback runs `body` N times. */
async function perRequest(body: (s: Strings) => string): Promise<number> {
  const wasm = await probe((s) => ({
    on: {
      proxy_on_configure: `${DEFINE(s)} (i32.const 1)`,
      proxy_on_request_headers: `(local $i i32) (local.set $i (i32.const ${N}))
        (loop $l (global.set $heap (i32.const 32768)) ${body(s)}
          (local.set $i (i32.sub (local.get $i) (i32.const 1))) (br_if $l (local.get $i)))
        (i32.const 0)`,
    },
  }));
  const em = Emulator.startSync({ wasm });
  const pool = requests(64);
  const run = (n: number) => {
    for (let i = 0; i < n; i++) {
      const st = em.stream();
      st.sendRequestHeaders(pool[i % pool.length] as [string, string][], true);
      st.complete();
    }
  };
  run(2_000);
  const c0 = process.cpuUsage();
  run(20_000);
  const c = process.cpuUsage(c0);
  return ((c.user + c.system) * 1000) / 20_000;
}

/** Rows of (host call, CPU ns per call). */
export async function hostCallCosts(): Promise<[string, number][]> {
  const base = await perRequest(() => "");
  const rows: [string, number][] = [];
  for (const [name, body] of Object.entries(CALLS)) {
    rows.push([name, ((await perRequest(body)) - base) / N]);
  }
  return rows;
}
