import { Action } from "../abi/types";
import { HttpContext } from "./http-context";
import { RootContext } from "./root-context";

// The callbacks Envoy calls (proxy-wasm ABI 0.2.1). They only dispatch to the contexts.

const roots = new Map<u32, RootContext>();
const streams = new Map<u32, HttpContext>();

// The module is built with AssemblyScript's minimal runtime (asconfig.json): a two-colour mark &
// sweep that runs only when called, and must be called with the stack unwound — at the entry of
// an export the host calls, never from inside a host call back into us (malloc). Every
// COLLECT_EVERY deleted streams is such a place: no local holds an object there, only globals.
const COLLECT_EVERY: u32 = 1024;
let deletedStreams: u32 = 0;

/** Marker export: Envoy scans for it to pick ABI 0.2.1 and never calls it. */
export function proxy_abi_version_0_2_1(): void {}

/** The allocator the host uses to hand data to the module (Envoy looks for `malloc` first). */
export function proxy_on_memory_allocate(size: usize): usize {
  return heap.alloc(size);
}

export function malloc(size: usize): usize {
  return heap.alloc(size);
}

export function proxy_on_context_create(contextId: u32, parentId: u32): void {
  if (parentId == 0) {
    roots.set(contextId, new RootContext(contextId));
  } else {
    streams.set(
      contextId,
      new HttpContext(contextId, roots.has(parentId) ? roots.get(parentId) : null),
    );
  }
}

export function proxy_on_vm_start(_rootId: u32, _vmConfigSize: u32): bool {
  return true;
}

export function proxy_on_configure(rootId: u32, pluginConfigSize: u32): bool {
  if (!roots.has(rootId)) roots.set(rootId, new RootContext(rootId));
  return roots.get(rootId).configure(pluginConfigSize);
}

export function proxy_on_request_headers(contextId: u32, _headers: u32, _endOfStream: bool): u32 {
  if (streams.has(contextId)) streams.get(contextId).onRequestHeaders();
  return Action.Continue;
}

export function proxy_on_response_headers(contextId: u32, _headers: u32, _endOfStream: bool): u32 {
  if (streams.has(contextId)) streams.get(contextId).onResponseHeaders();
  return Action.Continue;
}

export function proxy_on_done(_contextId: u32): bool {
  return true;
}

export function proxy_on_log(_contextId: u32): void {}

export function proxy_on_delete(contextId: u32): void {
  if (streams.has(contextId)) {
    streams.delete(contextId);
    deletedStreams++;
    if (deletedStreams >= COLLECT_EVERY) {
      deletedStreams = 0;
      __collect();
    }
  } else if (roots.has(contextId)) {
    roots.delete(contextId);
    __collect();
  }
}
