import { CohortError } from "../../../controller/src/core/errors.js";

/** The module cannot be loaded as Envoy would load it (bad bytes, missing import or export). */
export class WasmLoadError extends CohortError {
  override readonly name: string = "WasmLoadError";
}

/** The module imports something Envoy does not provide; the message names the import. */
export class MissingImportError extends WasmLoadError {
  override readonly name: string = "MissingImportError";
  constructor(readonly importName: string) {
    super(`Failed to load Wasm module due to a missing import: ${importName}`);
  }
}

/** The module lacks an export Envoy requires; the message names it. */
export class MissingExportError extends WasmLoadError {
  override readonly name: string = "MissingExportError";
  constructor(
    readonly exportName: string,
    detail: string,
  ) {
    super(`Wasm module is missing the export ${exportName}: ${detail}`);
  }
}

/** `_initialize`/`_start` trapped or called a host function Envoy forbids during it. */
export class WasmInitError extends WasmLoadError {
  override readonly name: string = "WasmInitError";
}

/**
 * `proxy_on_vm_start` or `proxy_on_configure` returned false (or trapped): Envoy refuses the
 * plugin. `errors` holds the guest's own error logs, which usually say why.
 */
export class PluginConfigRejectedError extends CohortError {
  override readonly name: string = "PluginConfigRejectedError";
  constructor(
    readonly errors: string[],
    options?: { cause?: unknown },
  ) {
    super(
      `plugin configuration rejected${errors.length > 0 ? `: ${errors.join("; ")}` : ""}`,
      options,
    );
  }
}

/** A call on the test API that the host cannot honour (wrong stream state, unknown token). */
export class HostUsageError extends CohortError {
  override readonly name: string = "HostUsageError";
}

/** A route table given to the emulator is malformed; the message names the field. */
export class RouteConfigError extends CohortError {
  override readonly name: string = "RouteConfigError";
}
