/**
 * A probe module that makes the host calls the filter makes per request in the workload (three
 * header lookups — `:authority`, the segment's header, the sticky key —, one header replace, one
 * header remove, the clear_route_cache foreign function, one set_property, the clock twice, two
 * counter increments, one response-header lookup and one histogram record) and does nothing else; its bump allocator starts over at each
 * callback, so nothing accumulates. Its cost above the no-op module is the host's
 * share of the filter's cost; the rest is the filter's own code.
 */
import { probe } from "../fixtures/wasm/probe.js";

const DECISION = '{"experiment":"exp3","version":"v1","mirror":null,"reason":"split"}';

export function hostCallsProbe(): Promise<Uint8Array> {
  return probe((s) => ({
    on: {
      proxy_on_configure: `
        (drop (call $proxy_define_metric (i32.const 0) ${s.s("probe_requests_total")} (i32.const 600)))
        (drop (call $proxy_define_metric (i32.const 0) ${s.s("probe_responses_total")} (i32.const 604)))
        (drop (call $proxy_define_metric (i32.const 2) ${s.s("probe_duration_ms")} (i32.const 608)))
        (i32.const 1)`,
      proxy_on_request_headers: `
        (global.set $heap (i32.const 32768))
        (drop (call $proxy_get_header_map_value (i32.const 0) ${s.s(":authority")} (i32.const 520) (i32.const 524)))
        (drop (call $proxy_get_header_map_value (i32.const 0) ${s.s("x-country")} (i32.const 520) (i32.const 524)))
        (drop (call $proxy_get_header_map_value (i32.const 0) ${s.s("x-user-id")} (i32.const 520) (i32.const 524)))
        (drop (call $proxy_replace_header_map_value (i32.const 0) ${s.s("x-cohort-version")} ${s.s("v1")}))
        (drop (call $proxy_remove_header_map_value (i32.const 0) ${s.s("x-cohort-mirror")}))
        (drop (call $proxy_call_foreign_function ${s.s("clear_route_cache")} (i32.const 0) (i32.const 0) (i32.const 528) (i32.const 532)))
        (drop (call $proxy_set_property ${s.s("cohort.decision")} ${s.s(DECISION)}))
        (drop (call $proxy_get_current_time_nanoseconds (i32.const 536)))
        (drop (call $proxy_increment_metric (i32.load (i32.const 600)) (i64.const 1)))
        (i32.const 0)`,
      proxy_on_response_headers: `
        (global.set $heap (i32.const 32768))
        (drop (call $proxy_get_current_time_nanoseconds (i32.const 544)))
        (drop (call $proxy_get_header_map_value (i32.const 2) ${s.s(":status")} (i32.const 520) (i32.const 524)))
        (drop (call $proxy_increment_metric (i32.load (i32.const 604)) (i64.const 1)))
        (drop (call $proxy_record_metric (i32.load (i32.const 608)) (i64.const 12)))
        (i32.const 0)`,
    },
  }));
}
