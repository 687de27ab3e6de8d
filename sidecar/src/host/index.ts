/** The proxy-wasm host: public API (see sidecar/README.md). */
export type { FilterAction, LogLevelName } from "./abi.js";
export type { LocalResponse, PendingHttpCall } from "./contexts.js";
export {
  Emulator,
  type EmulatorOptions,
  type HistogramValue,
  type HttpCallReply,
  type MetricValue,
} from "./emulator.js";
export {
  HostUsageError,
  MissingExportError,
  MissingImportError,
  PluginConfigRejectedError,
  RouteConfigError,
  WasmInitError,
  WasmLoadError,
} from "./errors.js";
export { type HeadersInput, HttpStream } from "./http-stream.js";
export { ManualClock } from "./manual-clock.js";
export { ENVOY_DEFAULT_BUCKETS } from "./metric-store.js";
export {
  cohortRouteConfig,
  type RouteConfig,
  type RouteRule,
  type SelectedRoute,
} from "./route-table.js";
