// The host functions of proxy-wasm ABI 0.2.1 this filter uses — and nothing else, because Envoy
// refuses to link a module with an import it does not provide. AssemblyScript imports a declared
// function from the module named after its file, so this file is `env.ts` (no decorators needed,
// which keeps the file plain TypeScript for the linter). Functions of ABI 0.1.0 only
// (proxy_get_configuration, proxy_clear_route_cache, proxy_continue_request) must never appear here.

export declare function proxy_log(level: u32, messagePtr: usize, messageSize: usize): u32;

export declare function proxy_get_current_time_nanoseconds(returnTimePtr: usize): u32;

export declare function proxy_get_buffer_bytes(
  bufferType: u32,
  start: u32,
  maxSize: u32,
  returnDataPtrPtr: usize,
  returnSizePtr: usize,
): u32;

export declare function proxy_get_header_map_pairs(
  mapType: u32,
  returnDataPtrPtr: usize,
  returnSizePtr: usize,
): u32;

export declare function proxy_get_header_map_value(
  mapType: u32,
  keyPtr: usize,
  keySize: usize,
  returnValuePtrPtr: usize,
  returnValueSizePtr: usize,
): u32;

export declare function proxy_replace_header_map_value(
  mapType: u32,
  keyPtr: usize,
  keySize: usize,
  valuePtr: usize,
  valueSize: usize,
): u32;

export declare function proxy_remove_header_map_value(
  mapType: u32,
  keyPtr: usize,
  keySize: usize,
): u32;

export declare function proxy_set_property(
  pathPtr: usize,
  pathSize: usize,
  valuePtr: usize,
  valueSize: usize,
): u32;

export declare function proxy_call_foreign_function(
  namePtr: usize,
  nameSize: usize,
  argumentsPtr: usize,
  argumentsSize: usize,
  returnResultsPtrPtr: usize,
  returnResultsSizePtr: usize,
): u32;

export declare function proxy_define_metric(
  metricType: u32,
  namePtr: usize,
  nameSize: usize,
  returnIdPtr: usize,
): u32;

export declare function proxy_increment_metric(metricId: u32, offset: i64): u32;

export declare function proxy_record_metric(metricId: u32, value: u64): u32;
