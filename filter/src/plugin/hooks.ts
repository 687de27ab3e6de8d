import { decodedSinceCollect, resetDecodedBytes } from "../abi/memory";
import { Action } from "../abi/types";
import { HttpContext } from "./http-context";
import { RootContext } from "./root-context";

// The callbacks Envoy calls (proxy-wasm ABI 0.2.1). They only dispatch to the contexts.

const roots = new Map<u32, RootContext>();
const streams = new Map<u32, HttpContext>();

// The module is built with AssemblyScript's minimal runtime (asconfig.json): a two-colour mark &
// sweep that runs only when called, and must be called with the stack unwound — at the entry of
// an export the host calls, never from inside a host call back into us (malloc). Freeing a
// stream is such a place (no local holds a live object there, only globals): it collects every
// COLLECT_EVERY freed streams, or sooner once COLLECT_BYTES of header values were decoded since
// the last collection (long headers would otherwise grow linear memory, which never shrinks).
const COLLECT_EVERY: u32 = 1024;
const COLLECT_BYTES: usize = 1 << 20;
let freedStreams: u32 = 0;

/** Marker export: Envoy scans for it to pick ABI 0.2.1 and never calls it. */
export function proxy_abi_version_0_2_1(): void {}

/** The allocator the host uses to hand data to the module (Envoy looks for `malloc` first). */
export function proxy_on_memory_allocate(size: usize): usize {
  return heap.alloc(size);
}

export function malloc(size: usize): usize {
  return heap.alloc(size);
}

// The stream the last callbacks were for: a request's callbacks come in a row, so most find it
// here instead of hashing into `streams` twice (has, get).
let lastStream: HttpContext | null = null;

function streamOf(contextId: u32): HttpContext | null {
  const last = lastStream;
  if (last !== null && last.id == contextId) return last;
  if (!streams.has(contextId)) return null;
  const s = streams.get(contextId);
  lastStream = s;
  return s;
}

export function proxy_on_context_create(contextId: u32, parentId: u32): void {
  if (parentId == 0) {
    roots.set(contextId, new RootContext(contextId));
  } else {
    const s = new HttpContext(contextId, roots.has(parentId) ? roots.get(parentId) : null);
    streams.set(contextId, s);
    lastStream = s;
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
  const s = streamOf(contextId);
  if (s !== null) s.onRequestHeaders();
  return Action.Continue;
}

export function proxy_on_response_headers(contextId: u32, _headers: u32, _endOfStream: bool): u32 {
  const s = streamOf(contextId);
  if (s !== null) s.onResponseHeaders();
  return Action.Continue;
}

// A stream's state is freed by whichever of proxy_on_log, proxy_on_done and proxy_on_delete comes
// first (all come after its last request or response callback); the others find nothing. Envoy
// calls log, done, delete today, but older ones may log after the filter is destroyed and then
// never call proxy_on_delete for the stream.
export function proxy_on_done(contextId: u32): bool {
  freeStream(contextId);
  return true;
}

export function proxy_on_log(contextId: u32): void {
  freeStream(contextId);
}

export function proxy_on_delete(contextId: u32): void {
  if (freeStream(contextId)) return;
  if (roots.has(contextId)) {
    roots.delete(contextId);
    collect();
  }
}

/** Forgets stream `contextId`; false when it is not (or no longer) a stream. */
function freeStream(contextId: u32): bool {
  if (!streams.has(contextId)) return false;
  streams.delete(contextId);
  lastStream = null;
  freedStreams++;
  if (freedStreams >= COLLECT_EVERY || decodedSinceCollect() >= COLLECT_BYTES) collect();
  return true;
}

function collect(): void {
  freedStreams = 0;
  resetDecodedBytes();
  __collect();
}
