/**
 * The signatures Envoy registers its host functions with (proxy-wasm spec v0.2.1; cpp-host
 * converts every Word to i32 except the 64-bit metric values). A module that imports one of them
 * with another signature fails to link in Envoy ("import type mismatch"); Node would coerce, so
 * the host checks the import section itself.
 */
const I = "i32";
const r = (params: string[], result: string[] = [I]) =>
  `(${params.join(",")})->(${result.join(",")})`;
const n = (count: number) => new Array<string>(count).fill(I);

export const ENV_SIGNATURES: Record<string, string> = {
  proxy_log: r(n(3)),
  proxy_get_log_level: r(n(1)),
  proxy_get_status: r(n(3)),
  proxy_set_property: r(n(4)),
  proxy_get_property: r(n(4)),
  proxy_send_local_response: r(n(8)),
  proxy_get_shared_data: r(n(5)),
  proxy_set_shared_data: r(n(5)),
  proxy_register_shared_queue: r(n(3)),
  proxy_resolve_shared_queue: r(n(5)),
  proxy_dequeue_shared_queue: r(n(3)),
  proxy_enqueue_shared_queue: r(n(3)),
  proxy_continue_stream: r(n(1)),
  proxy_close_stream: r(n(1)),
  proxy_get_header_map_value: r(n(5)),
  proxy_add_header_map_value: r(n(5)),
  proxy_replace_header_map_value: r(n(5)),
  proxy_remove_header_map_value: r(n(3)),
  proxy_get_header_map_pairs: r(n(3)),
  proxy_set_header_map_pairs: r(n(3)),
  proxy_get_header_map_size: r(n(2)),
  proxy_get_buffer_status: r(n(3)),
  proxy_get_buffer_bytes: r(n(5)),
  proxy_set_buffer_bytes: r(n(5)),
  proxy_http_call: r(n(10)),
  proxy_grpc_call: r(n(12)),
  proxy_grpc_stream: r(n(9)),
  proxy_grpc_close: r(n(1)),
  proxy_grpc_cancel: r(n(1)),
  proxy_grpc_send: r(n(4)),
  proxy_set_tick_period_milliseconds: r(n(1)),
  proxy_get_current_time_nanoseconds: r(n(1)),
  proxy_define_metric: r(n(4)),
  proxy_increment_metric: r([I, "i64"]),
  proxy_record_metric: r([I, "i64"]),
  proxy_get_metric: r(n(2)),
  proxy_set_effective_context: r(n(1)),
  proxy_done: r([]),
  proxy_call_foreign_function: r(n(6)),
};

export const WASI_SIGNATURES: Record<string, string> = {
  fd_write: r(n(4)),
  fd_read: r(n(4)),
  fd_seek: r([I, "i64", I, I]),
  fd_close: r(n(1)),
  fd_fdstat_get: r(n(2)),
  fd_fdstat_set_flags: r(n(2)),
  fd_prestat_get: r(n(2)),
  fd_prestat_dir_name: r(n(3)),
  environ_get: r(n(2)),
  environ_sizes_get: r(n(2)),
  args_get: r(n(2)),
  args_sizes_get: r(n(2)),
  clock_time_get: r([I, "i64", I]),
  clock_res_get: r(n(2)),
  random_get: r(n(2)),
  sched_yield: r([]),
  poll_oneoff: r(n(4)),
  proc_exit: r(n(1), []),
};

const VALTYPES: Record<number, string> = { 127: "i32", 126: "i64", 125: "f32", 124: "f64" };

/** Function imports of a module binary with their signatures, e.g. `(i32,i32)->(i32)`. */
export function functionImportSignatures(
  bytes: Uint8Array,
): { module: string; name: string; signature: string }[] {
  let p = 8;
  const u32 = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[p++] as number;
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result >>> 0;
      shift += 7;
    }
  };
  const name = (): string => {
    const len = u32();
    const s = new TextDecoder().decode(bytes.subarray(p, p + len));
    p += len;
    return s;
  };
  const types: string[] = [];
  const out: { module: string; name: string; signature: string }[] = [];
  while (p < bytes.length) {
    const id = bytes[p++] as number;
    const size = u32();
    const end = p + size;
    if (id === 1) {
      const count = u32();
      for (let i = 0; i < count; i++) {
        p++; // 0x60: func type
        const params = Array.from({ length: u32() }, () => VALTYPES[bytes[p++] as number] ?? "?");
        const results = Array.from({ length: u32() }, () => VALTYPES[bytes[p++] as number] ?? "?");
        types.push(`(${params.join(",")})->(${results.join(",")})`);
      }
    } else if (id === 2) {
      const count = u32();
      for (let i = 0; i < count; i++) {
        const module = name();
        const field = name();
        const kind = bytes[p++] as number;
        if (kind === 0) {
          out.push({ module, name: field, signature: types[u32()] ?? "?" });
        } else if (kind === 1) {
          p++; // reftype
          const flags = u32();
          u32();
          if (flags & 1) u32();
        } else if (kind === 2) {
          const flags = u32();
          u32();
          if (flags & 1) u32();
        } else {
          p += 2; // valtype, mutability
        }
      }
      return out;
    }
    p = end;
  }
  return out;
}
