import { describe, expect, it } from "vitest";
import {
  Emulator,
  MissingExportError,
  MissingImportError,
  PluginConfigRejectedError,
  WasmInitError,
} from "../../sidecar/src/host/index.js";
import { compileWat, probe, probeWat, put, slot } from "../fixtures/wasm/probe.js";

describe("loading a module like Envoy", () => {
  it("refuses an import Envoy lacks and names it", async () => {
    const wasm = await probe(() => ({ imports: `(import "env" "seed" (func (result f64)))` }));
    const err = await Emulator.start({ wasm }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingImportError);
    expect((err as Error).message).toBe(
      "Failed to load Wasm module due to a missing import: env.seed",
    );
  });

  it("refuses AssemblyScript's default env.abort", async () => {
    const wasm = await probe(() => ({
      imports: `(import "env" "abort" (func (param i32 i32 i32 i32)))`,
    }));
    await expect(Emulator.start({ wasm })).rejects.toThrow(/missing import: env\.abort$/);
  });

  it("refuses ABI 0.1.0-only functions such as proxy_clear_route_cache", async () => {
    const wasm = await probe(() => ({
      imports: `(import "env" "proxy_clear_route_cache" (func (result i32)))`,
    }));
    await expect(Emulator.start({ wasm })).rejects.toThrow("env.proxy_clear_route_cache");
  });

  it("refuses imports from modules other than env and WASI", async () => {
    const wasm = await probe(() => ({
      imports: `(import "wasi:http/types" "handle" (func))`,
    }));
    await expect(Emulator.start({ wasm })).rejects.toThrow("wasi:http/types.handle");
  });

  it("accepts WASI functions under both of their module names", async () => {
    const wasm = await probe(() => ({
      imports: `(import "wasi_unstable" "fd_write" (func (param i32 i32 i32 i32) (result i32)))`,
    }));
    await expect(Emulator.start({ wasm })).resolves.toBeInstanceOf(Emulator);
  });

  it("refuses an Envoy function imported with another signature", async () => {
    const wasm = await compileWat(
      probeWat(() => ({})).replace(
        '(import "env" "proxy_done" (func $proxy_done (result i32)))',
        '(import "env" "proxy_done" (func $proxy_done (param i32) (result i32)))',
      ),
    );
    await expect(Emulator.start({ wasm })).rejects.toThrow(
      "Failed to load Wasm module due to an import type mismatch: env.proxy_done is (i32)->(i32), Envoy provides ()->(i32)",
    );
  });

  it("refuses a module without the ABI 0.2.1 marker", async () => {
    const wasm = await probe(() => ({ omit: ["proxy_abi_version_0_2_1"] }));
    const err = await Emulator.start({ wasm }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingExportError);
    expect((err as Error).message).toContain("proxy_abi_version_0_2_1");
  });

  it("refuses a module without an allocator", async () => {
    const wasm = await probe(() => ({ omit: ["malloc"] }));
    await expect(Emulator.start({ wasm })).rejects.toThrow(/malloc/);
  });

  it("accepts proxy_on_memory_allocate as the allocator", async () => {
    const wasm = await probe(() => ({ allocatorName: "proxy_on_memory_allocate" }));
    await expect(Emulator.start({ wasm })).resolves.toBeInstanceOf(Emulator);
  });

  it("refuses bytes that are not a Wasm module", async () => {
    await expect(Emulator.start({ wasm: new Uint8Array([1, 2, 3]) })).rejects.toThrow(
      /not a valid module/,
    );
  });

  it("runs _initialize before anything else, where logging is allowed", async () => {
    const wasm = await probe((s) => ({
      initialize: `(call $info ${s.s("init")}) ${put(1, "(i32.const 7)")}`,
      on: { proxy_on_vm_start: `(call $info ${s.s("vm start")}) (i32.const 1)` },
    }));
    const em = await Emulator.start({ wasm });
    expect(em.logs().map((l) => l.message)).toEqual(["init", "vm start"]);
    expect(slot(em, 1)).toBe(7);
  });

  it("fails the load when _initialize defines a metric (not on the start-up whitelist)", async () => {
    const wasm = await probe((s) => ({
      initialize: `(drop (call $proxy_define_metric (i32.const 0) ${s.s("c")} (i32.const 600)))`,
    }));
    const err = await Emulator.start({ wasm }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WasmInitError);
    expect((err as Error).message).toMatch(
      /^Failed to initialize Wasm code: Function: _initialize failed: restricted_callback: env.proxy_define_metric/,
    );
  });

  it("fails the load when _initialize traps", async () => {
    const wasm = await probe(() => ({ initialize: "unreachable" }));
    await expect(Emulator.start({ wasm })).rejects.toThrow(/_initialize failed: unreachable/);
  });

  it("creates the root context with parent 0, then calls on_vm_start and on_configure", async () => {
    const wasm = await probe(() => ({
      on: {
        proxy_on_context_create: `${put(1, "(local.get $ctx)")} ${put(2, "(local.get $parent)")}`,
        proxy_on_vm_start: `${put(3, "(local.get $ctx)")} (i32.const 1)`,
        proxy_on_configure: `${put(4, "(local.get $size)")} (i32.const 1)`,
      },
    }));
    const em = await Emulator.start({ wasm, pluginConfig: { a: 1 } });
    expect([slot(em, 1), slot(em, 2), slot(em, 3), slot(em, 4)]).toEqual([1, 0, 1, 7]);
    expect(em.rootContextId).toBe(1);
  });

  it("rejects the plugin with the guest's error logs when on_configure returns false", async () => {
    const wasm = await probe((s) => ({
      on: {
        proxy_on_configure: `(call $error ${s.s("experiments[0].baseline: required")}) (i32.const 0)`,
      },
    }));
    const err = await Emulator.start({ wasm }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PluginConfigRejectedError);
    expect((err as Error).message).toBe(
      "plugin configuration rejected: experiments[0].baseline: required",
    );
  });

  it("rejects the plugin when on_vm_start returns false, without calling on_configure", async () => {
    const wasm = await probe((s) => ({
      on: {
        proxy_on_vm_start: "(i32.const 0)",
        proxy_on_configure: `(call $info ${s.s("configured")}) (i32.const 1)`,
      },
    }));
    await expect(Emulator.start({ wasm })).rejects.toBeInstanceOf(PluginConfigRejectedError);
  });

  it("loads the no-op module and lets a request through untouched", async () => {
    const em = await Emulator.start({ wasm: "filter/build/noop.wasm" });
    const s = em.stream();
    expect(s.sendRequestHeaders({ ":path": "/", "x-a": "1" })).toBe("Continue");
    expect(s.sendResponseHeaders({ ":status": "200" })).toBe("Continue");
    s.complete();
    expect(s.requestHeaders()).toEqual([
      [":path", "/"],
      ["x-a", "1"],
    ]);
    expect(em.failed).toBe(false);
  });
});
