// A proxy-wasm module that does nothing: every callback lets the request through untouched.
// It is the baseline of the filter benchmark and a known-good module for the host's own tests.
// It makes no host calls, so the only work measured against it is the host's.

// asconfig.json routes AssemblyScript's `abort` to the filter's handler (Envoy has no env.abort);
// importing it keeps that element in this program too.
import "./abi/abort";

export function proxy_abi_version_0_2_1(): void {}

export function malloc(size: usize): usize {
  return heap.alloc(size);
}

export function proxy_on_memory_allocate(size: usize): usize {
  return heap.alloc(size);
}

export function proxy_on_context_create(_context: u32, _parent: u32): void {}

export function proxy_on_vm_start(_root: u32, _vmConfigSize: u32): bool {
  return true;
}

export function proxy_on_configure(_root: u32, _pluginConfigSize: u32): bool {
  return true;
}

export function proxy_on_request_headers(_context: u32, _headers: u32, _endOfStream: bool): u32 {
  return 0;
}

export function proxy_on_request_body(_context: u32, _size: u32, _endOfStream: bool): u32 {
  return 0;
}

export function proxy_on_request_trailers(_context: u32, _trailers: u32): u32 {
  return 0;
}

export function proxy_on_response_headers(_context: u32, _headers: u32, _endOfStream: bool): u32 {
  return 0;
}

export function proxy_on_response_body(_context: u32, _size: u32, _endOfStream: bool): u32 {
  return 0;
}

export function proxy_on_response_trailers(_context: u32, _trailers: u32): u32 {
  return 0;
}

export function proxy_on_done(_context: u32): bool {
  return true;
}

export function proxy_on_log(_context: u32): void {}

export function proxy_on_delete(_context: u32): void {}
