import { describe, expect, it } from "vitest";
import wabt from "wabt";
import { ENV_FUNCTIONS, WASI_FUNCTIONS } from "../../sidecar/src/host/import-surface.js";
import { FILTER_WASM } from "./harness.js";

const module = new WebAssembly.Module(FILTER_WASM);
const imports = WebAssembly.Module.imports(module);
const exports = WebAssembly.Module.exports(module);

describe("filter.wasm as Envoy loads it", () => {
  it("imports only proxy-wasm 0.2.1 functions of env and the WASI subset Envoy registers", () => {
    for (const i of imports) {
      expect(i.kind, `${i.module}.${i.name}`).toBe("function");
      if (i.module === "env") expect(ENV_FUNCTIONS, i.name).toContain(i.name);
      else {
        expect(["wasi_snapshot_preview1", "wasi_unstable"]).toContain(i.module);
        expect(WASI_FUNCTIONS, i.name).toContain(i.name);
      }
    }
  });

  it("imports none of AssemblyScript's defaults or ABI 0.1.0's functions", () => {
    const names = imports.map((i) => `${i.module}.${i.name}`);
    for (const forbidden of [
      "env.abort",
      "env.seed",
      "env.trace",
      "env.Date.now",
      "env.proxy_get_configuration",
      "env.proxy_clear_route_cache",
      "env.proxy_continue_request",
    ]) {
      expect(names).not.toContain(forbidden);
    }
  });

  it("imports exactly the host calls the filter is written against", () => {
    expect(imports.map((i) => i.name).sort()).toEqual([
      "proxy_call_foreign_function",
      "proxy_define_metric",
      "proxy_get_buffer_bytes",
      "proxy_get_current_time_nanoseconds",
      "proxy_get_header_map_pairs",
      "proxy_get_header_map_value",
      "proxy_increment_metric",
      "proxy_log",
      "proxy_record_metric",
      "proxy_remove_header_map_value",
      "proxy_replace_header_map_value",
      "proxy_set_property",
    ]);
  });

  it("exports the ABI marker, an allocator, _initialize, memory and the callbacks it needs", () => {
    const names = exports.map((e) => e.name);
    for (const required of [
      "proxy_abi_version_0_2_1",
      "malloc",
      "proxy_on_memory_allocate",
      "_initialize",
      "memory",
      "proxy_on_context_create",
      "proxy_on_vm_start",
      "proxy_on_configure",
      "proxy_on_request_headers",
      "proxy_on_response_headers",
      "proxy_on_done",
      "proxy_on_delete",
    ]) {
      expect(names).toContain(required);
    }
    expect(names.filter((n) => n.startsWith("proxy_abi_version_"))).toEqual([
      "proxy_abi_version_0_2_1",
    ]);
  });

  it("validates as Wasm MVP plus bulk memory, so it loads on V8, wasmtime and WAMR alike", async () => {
    const w = await wabt();
    const features = {
      bulk_memory: true,
      sign_extension: false,
      sat_float_to_int: false,
      mutable_globals: false,
      simd: false,
      threads: false,
      multi_value: false,
      reference_types: false,
      tail_call: false,
      exceptions: false,
      gc: false,
    };
    const parsed = w.readWasm(FILTER_WASM, { readDebugNames: false, ...features });
    expect(() => parsed.validate()).not.toThrow();
    parsed.destroy();
  });

  it("is at most 64 KiB", () => {
    expect(FILTER_WASM.byteLength).toBeLessThanOrEqual(64 * 1024);
  });
});
