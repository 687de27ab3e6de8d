/**
 * Numbers of the proxy-wasm ABI 0.2.1 (proxy-wasm/spec abi-versions/v0.2.1/README.md,
 * proxy-wasm-cpp-host include/proxy-wasm/wasm_api_impl.h and include/proxy-wasm/word.h).
 */
export const Status = {
  Ok: 0,
  NotFound: 1,
  BadArgument: 2,
  SerializationFailure: 3,
  ParseFailure: 4,
  InvalidMemoryAccess: 6,
  Empty: 7,
  CasMismatch: 8,
  InternalFailure: 10,
  BrokenConnection: 11,
  Unimplemented: 12,
} as const;

export const LogLevels = ["trace", "debug", "info", "warn", "error", "critical"] as const;
export type LogLevelName = (typeof LogLevels)[number];

export const BufferType = {
  HttpRequestBody: 0,
  HttpResponseBody: 1,
  DownstreamData: 2,
  UpstreamData: 3,
  HttpCallResponseBody: 4,
  GrpcReceiveBuffer: 5,
  VmConfiguration: 6,
  PluginConfiguration: 7,
  CallData: 8,
} as const;

export const MapType = {
  RequestHeaders: 0,
  RequestTrailers: 1,
  ResponseHeaders: 2,
  ResponseTrailers: 3,
  GrpcReceiveInitialMetadata: 4,
  GrpcReceiveTrailingMetadata: 5,
  HttpCallResponseHeaders: 6,
  HttpCallResponseTrailers: 7,
} as const;

export const MetricKind = { Counter: 0, Gauge: 1, Histogram: 2 } as const;
export type MetricType = "counter" | "gauge" | "histogram";

/** Results of the header/trailer callbacks (proxy-wasm FilterHeadersStatus). */
export const HeaderActions = [
  "Continue",
  "StopIteration",
  "ContinueAndEndStream",
  "StopAllIterationAndBuffer",
  "StopAllIterationAndWatermark",
] as const;
export type HeaderAction = (typeof HeaderActions)[number];

/** Results of the body callbacks (proxy-wasm FilterDataStatus). */
export const DataActions = [
  "Continue",
  "StopIterationAndBuffer",
  "StopIterationAndWatermark",
  "StopIterationNoBuffer",
] as const;
export type DataAction = (typeof DataActions)[number];

/** What a stream callback returns to the test: the filter's action, mapped like Envoy does. */
export type FilterAction = HeaderAction | DataAction;

export const StreamType = { Request: 0, Response: 1, Downstream: 2, Upstream: 3 } as const;

/** The one ABI this host speaks; the module must export this marker. */
export const AbiMarker = "proxy_abi_version_0_2_1";
