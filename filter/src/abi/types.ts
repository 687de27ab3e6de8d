// Enumerations of proxy-wasm ABI 0.2.1 (spec: abi-versions/v0.2.1/README.md; Rust SDK src/types.rs).

/** Result of every host call. */
export namespace Status {
  export const Ok: u32 = 0;
  export const NotFound: u32 = 1;
  export const BadArgument: u32 = 2;
  export const SerializationFailure: u32 = 3;
  export const ParseFailure: u32 = 4;
  export const InvalidMemoryAccess: u32 = 6;
  export const Empty: u32 = 7;
  export const CasMismatch: u32 = 8;
  export const InternalFailure: u32 = 10;
  export const BrokenConnection: u32 = 11;
  export const Unimplemented: u32 = 12;
}

/** Log levels of `proxy_log`. */
export namespace LogLevel {
  export const Trace: u32 = 0;
  export const Debug: u32 = 1;
  export const Info: u32 = 2;
  export const Warn: u32 = 3;
  export const Err: u32 = 4;
  export const Critical: u32 = 5;
}

/** What a header callback tells the host to do next. */
export namespace Action {
  export const Continue: u32 = 0;
  export const StopIteration: u32 = 1;
}

/** Buffers the host can hand over with `proxy_get_buffer_bytes`. */
export namespace BufferType {
  export const HttpRequestBody: u32 = 0;
  export const HttpResponseBody: u32 = 1;
  export const HttpCallResponseBody: u32 = 4;
  export const VmConfiguration: u32 = 6;
  export const PluginConfiguration: u32 = 7;
  export const ForeignFunctionArguments: u32 = 8;
}

/** Header maps of `proxy_*_header_map_*`. */
export namespace MapType {
  export const RequestHeaders: u32 = 0;
  export const RequestTrailers: u32 = 1;
  export const ResponseHeaders: u32 = 2;
  export const ResponseTrailers: u32 = 3;
  export const HttpCallResponseHeaders: u32 = 6;
  export const HttpCallResponseTrailers: u32 = 7;
}

/** Kinds of `proxy_define_metric`. */
export namespace MetricType {
  export const Counter: u32 = 0;
  export const Gauge: u32 = 1;
  export const Histogram: u32 = 2;
}
