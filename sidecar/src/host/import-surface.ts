import { AbiMarker } from "./abi.js";
import { MissingExportError, MissingImportError, WasmLoadError } from "./errors.js";
import { ENV_SIGNATURES, functionImportSignatures, WASI_SIGNATURES } from "./import-signatures.js";

/**
 * The `env` functions Envoy registers for an ABI 0.2.1 module (proxy-wasm-cpp-host
 * src/wasm.cc WasmBase::registerCallbacks, FOR_ALL_HOST_FUNCTIONS plus the 0.2.1 block:
 * continue_stream, close_stream, get_log_level). ABI 0.1.0-only functions
 * (proxy_get_configuration, proxy_continue_request, proxy_continue_response,
 * proxy_clear_route_cache) are deliberately absent.
 */
export const ENV_FUNCTIONS: readonly string[] = [
  "proxy_log",
  "proxy_get_log_level",
  "proxy_get_status",
  "proxy_set_property",
  "proxy_get_property",
  "proxy_send_local_response",
  "proxy_get_shared_data",
  "proxy_set_shared_data",
  "proxy_register_shared_queue",
  "proxy_resolve_shared_queue",
  "proxy_dequeue_shared_queue",
  "proxy_enqueue_shared_queue",
  "proxy_continue_stream",
  "proxy_close_stream",
  "proxy_get_header_map_value",
  "proxy_add_header_map_value",
  "proxy_replace_header_map_value",
  "proxy_remove_header_map_value",
  "proxy_get_header_map_pairs",
  "proxy_set_header_map_pairs",
  "proxy_get_header_map_size",
  "proxy_get_buffer_status",
  "proxy_get_buffer_bytes",
  "proxy_set_buffer_bytes",
  "proxy_http_call",
  "proxy_grpc_call",
  "proxy_grpc_stream",
  "proxy_grpc_close",
  "proxy_grpc_cancel",
  "proxy_grpc_send",
  "proxy_set_tick_period_milliseconds",
  "proxy_get_current_time_nanoseconds",
  "proxy_define_metric",
  "proxy_increment_metric",
  "proxy_record_metric",
  "proxy_get_metric",
  "proxy_set_effective_context",
  "proxy_done",
  "proxy_call_foreign_function",
];

/** The WASI subset proxy-wasm-cpp-host registers, under both WASI module names. */
export const WASI_FUNCTIONS: readonly string[] = [
  "fd_write",
  "fd_read",
  "fd_seek",
  "fd_close",
  "fd_fdstat_get",
  "fd_fdstat_set_flags",
  "fd_prestat_get",
  "fd_prestat_dir_name",
  "environ_get",
  "environ_sizes_get",
  "args_get",
  "args_sizes_get",
  "clock_time_get",
  "clock_res_get",
  "random_get",
  "sched_yield",
  "poll_oneoff",
  "proc_exit",
];

export const WASI_MODULES: readonly string[] = ["wasi_snapshot_preview1", "wasi_unstable"];

const envSet = new Set(ENV_FUNCTIONS);
const wasiSet = new Set(WASI_FUNCTIONS);

/** True when Envoy would link this import. */
export function envoyProvides(module: string, name: string, kind: string): boolean {
  if (kind !== "function") return false;
  if (module === "env") return envSet.has(name);
  if (WASI_MODULES.includes(module)) return wasiSet.has(name);
  return false;
}

/**
 * Checks a compiled module the way Envoy loads it: every import must be one Envoy provides
 * (V8/WAMR link: "Failed to load Wasm module due to a missing import: env.seed") with the
 * signature Envoy registers it with ("import type mismatch"), the ABI marker
 * must be exported (WasmBase::load: "Missing or unknown Proxy-Wasm ABI version"), and an allocator
 * (`malloc`, else `proxy_on_memory_allocate`) and a `memory` export must exist.
 */
export function checkModuleSurface(module: WebAssembly.Module, bytes: Uint8Array): void {
  for (const imp of WebAssembly.Module.imports(module)) {
    if (!envoyProvides(imp.module, imp.name, imp.kind)) {
      throw new MissingImportError(`${imp.module}.${imp.name}`);
    }
  }
  for (const imp of functionImportSignatures(bytes)) {
    const want = imp.module === "env" ? ENV_SIGNATURES[imp.name] : WASI_SIGNATURES[imp.name];
    if (want !== undefined && want !== imp.signature) {
      throw new WasmLoadError(
        `Failed to load Wasm module due to an import type mismatch: ${imp.module}.${imp.name} is ${imp.signature}, Envoy provides ${want}`,
      );
    }
  }
  const exports = new Map(WebAssembly.Module.exports(module).map((e) => [e.name, e.kind]));
  if (!exports.has(AbiMarker)) {
    throw new MissingExportError(AbiMarker, "Missing or unknown Proxy-Wasm ABI version");
  }
  if (
    exports.get("malloc") !== "function" &&
    exports.get("proxy_on_memory_allocate") !== "function"
  ) {
    throw new MissingExportError(
      "malloc",
      "neither malloc nor proxy_on_memory_allocate is exported, so the host cannot hand data to the module",
    );
  }
  if (exports.get("memory") !== "memory") {
    throw new MissingExportError("memory", "the module must export its linear memory");
  }
}
