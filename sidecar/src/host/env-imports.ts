import { BufferType, MapType, Status, StreamType } from "./abi.js";
import type { Context, MapAccess, StreamContext } from "./contexts.js";
import { concatBytes } from "./guest-memory.js";
import { HeaderMap, marshalPairs, unmarshalPairs } from "./header-map.js";
import type { WasmVm } from "./wasm-vm.js";

type Fn = (...args: number[]) => number;

function mapAccess(s: StreamContext, type: number): MapAccess {
  switch (type) {
    case MapType.RequestHeaders:
      return s.access.requestHeaders;
    case MapType.RequestTrailers:
      return s.access.requestTrailers;
    case MapType.ResponseHeaders:
      return s.access.responseHeaders;
    case MapType.ResponseTrailers:
      return s.access.responseTrailers;
    default:
      return null;
  }
}

function streamMap(s: StreamContext, type: number): HeaderMap {
  switch (type) {
    case MapType.RequestHeaders:
      return s.requestHeaders;
    case MapType.RequestTrailers:
      return s.requestTrailers;
    case MapType.ResponseHeaders:
      return s.responseHeaders;
    default:
      return s.responseTrailers;
  }
}

/**
 * Context::getMap / getConstMap: stream maps only while Envoy holds them (the callback that
 * delivers them, a paused stream, or read-only during on_log); http-call response maps only on the
 * root context during on_http_call_response. Anything else is unavailable (BadArgument).
 */
function getMap(vm: WasmVm, type: number, write: boolean): HeaderMap | undefined {
  const c = vm.ctx();
  if (type === MapType.HttpCallResponseHeaders || type === MapType.HttpCallResponseTrailers) {
    if (c.kind !== "root" || !c.httpCallResponse || write) return undefined;
    return type === MapType.HttpCallResponseHeaders
      ? c.httpCallResponse.headers
      : c.httpCallResponse.trailers;
  }
  if (c.kind !== "stream" || type > MapType.ResponseTrailers) return undefined;
  const access = mapAccess(c, type);
  if (access === null || (write && access !== "rw")) return undefined;
  return streamMap(c, type);
}

/** Context::onHeadersModified: for ABI 0.2.1 a request-header change clears the route cache. */
function headersModified(vm: WasmVm, type: number): void {
  if (type !== MapType.RequestHeaders || !vm.env.headerChangeClearsRouteCache) return;
  const s = vm.stream();
  if (s) s.routeCacheCleared = true;
}

function getBuffer(vm: WasmVm, type: number): Uint8Array | undefined {
  const c = vm.ctx();
  switch (type) {
    case BufferType.VmConfiguration:
      return vm.env.vmConfig;
    case BufferType.PluginConfiguration: {
      const r = vm.rootOf(c);
      return c.kind === "root" && r.pluginConfigReadable ? r.pluginConfig : undefined;
    }
    case BufferType.HttpRequestBody:
      return c.kind === "stream" ? c.requestBody : undefined;
    case BufferType.HttpResponseBody:
      return c.kind === "stream" ? c.responseBody : undefined;
    case BufferType.HttpCallResponseBody: {
      const r = vm.rootOf(c);
      return r.httpCallResponse?.body;
    }
    default:
      return undefined;
  }
}

/**
 * Envoy's Buffer::copyFrom (source/extensions/common/wasm/context.cc): start 0 drains `length`
 * bytes and prepends the data (so it replaces a prefix, or everything); a start at or past the end
 * appends; anything in between is BadArgument.
 */
function spliceBuffer(
  old: Uint8Array,
  start: number,
  length: number,
  data: Uint8Array,
): Uint8Array | undefined {
  if (start === 0) return concatBytes(data, old.subarray(Math.min(length, old.length)));
  if (start >= old.length) return concatBytes(old, data);
  return undefined;
}

function setBuffer(vm: WasmVm, type: number, value: Uint8Array): boolean {
  const s = vm.stream();
  if (!s) return false;
  if (type === BufferType.HttpRequestBody && s.requestBody) s.requestBody = value;
  else if (type === BufferType.HttpResponseBody && s.responseBody) s.responseBody = value;
  else return false;
  return true;
}

/** Known attributes for proxy_get_property (a subset of Envoy's CEL attributes). */
function propertyValue(vm: WasmVm, c: Context, parts: string[]): string | undefined {
  const [first, second, third] = parts;
  if (parts.length === 1 && first === "plugin_root_id") return vm.env.rootId;
  if (parts.length === 1 && first === "plugin_name") return vm.env.rootId;
  if (c.kind === "stream" && first === "request") {
    const h = c.requestHeaders;
    if (second === "headers" && third !== undefined && parts.length === 3) return h.get(third);
    const byName: Record<string, string> = {
      path: ":path",
      method: ":method",
      host: ":authority",
      scheme: ":scheme",
      id: "x-request-id",
      referer: "referer",
      useragent: "user-agent",
    };
    const header = second !== undefined && parts.length === 2 ? byName[second] : undefined;
    if (header !== undefined) return h.get(header);
    if (second === "url_path" && parts.length === 2) return h.get(":path")?.split("?")[0];
  }
  if (c.kind === "stream" && first === "response" && second === "code" && parts.length === 2) {
    return c.responseHeaders.get(":status");
  }
  return undefined;
}

/** The `env` module: every proxy_* host function of ABI 0.2.1, bound to one VM. */
export function envImports(vm: WasmVm): Record<string, Fn> {
  const mem = () => vm.mem;
  const str = (p: number, n: number) => vm.mem.readString(p, n);
  const bytes = (p: number, n: number) => vm.mem.readBytes(p, n);
  const ok = (p: number, n: number) => vm.mem.inBounds(p, n);
  const guard = (name: string) => vm.checkAllowed(name);

  const fns: Record<string, Fn> = {
    proxy_log(level, ptr, size) {
      guard("env.proxy_log");
      if (!ok(ptr, size)) return Status.InvalidMemoryAccess;
      if (level > 5) return Status.BadArgument;
      vm.log(level, str(ptr, size));
      return Status.Ok;
    },
    proxy_get_log_level(ptr) {
      guard("env.proxy_get_log_level");
      if (!ok(ptr, 4)) return Status.InvalidMemoryAccess;
      mem().writeU32(ptr, vm.env.logLevel);
      return Status.Ok;
    },
    proxy_get_status(codePtr, msgPtrPtr, msgSizePtr) {
      guard("env.proxy_get_status");
      // The status of the (effective) context itself: an http call's outcome lands on the root.
      const st = vm.ctx().status;
      if (!ok(codePtr, 4)) return Status.InvalidMemoryAccess;
      mem().writeU32(codePtr, st.code);
      return vm.copyOutString(st.message, msgPtrPtr, msgSizePtr);
    },
    proxy_set_property(pathPtr, pathSize, valuePtr, valueSize) {
      guard("env.proxy_set_property");
      if (!ok(pathPtr, pathSize) || !ok(valuePtr, valueSize)) return Status.InvalidMemoryAccess;
      const s = vm.stream();
      // Context::setProperty: no stream info (root context) → NotFound.
      if (!s) return Status.NotFound;
      s.filterState.set(mem().readName(pathPtr, pathSize), str(valuePtr, valueSize));
      return Status.Ok;
    },
    proxy_get_property(pathPtr, pathSize, valuePtrPtr, valueSizePtr) {
      guard("env.proxy_get_property");
      if (!ok(pathPtr, pathSize)) return Status.InvalidMemoryAccess;
      const path = str(pathPtr, pathSize);
      const c = vm.ctx();
      const parts = path.split("\0").filter((p) => p.length > 0);
      let v = propertyValue(vm, c, parts);
      if (v === undefined && c.kind === "stream") v = c.filterState.get(path);
      if (v === undefined) return Status.NotFound;
      return vm.copyOutString(v, valuePtrPtr, valueSizePtr);
    },
    proxy_send_local_response(
      status,
      detailsPtr,
      detailsSize,
      bodyPtr,
      bodySize,
      headersPtr,
      headersSize,
      grpcStatus,
    ) {
      guard("env.proxy_send_local_response");
      if (!ok(detailsPtr, detailsSize) || !ok(bodyPtr, bodySize) || !ok(headersPtr, headersSize)) {
        return Status.InvalidMemoryAccess;
      }
      const s = vm.stream();
      const details = str(detailsPtr, detailsSize).replace(/\s/g, "_");
      const body = str(bodyPtr, bodySize);
      const headers = unmarshalPairs(bytes(headersPtr, headersSize)).map(
        ([k, v]) => [k.toLowerCase(), v] as [string, string],
      );
      const grpc = grpcStatus | 0;
      // exports.cc send_local_response: the callback's result becomes a stop.
      vm.stopIteration = true;
      // Context::sendLocalResponse: deferred until the VM call returns; no-op without a stream.
      if (s) {
        vm.defer(() => {
          if (s.localResponse) return;
          s.localResponse = {
            status: status >>> 0,
            body,
            headers,
            details,
            ...(grpc >= 0 && grpc <= 16 ? { grpcStatus: grpc } : {}),
          };
          s.localReplySent();
        });
      }
      return Status.Ok;
    },
    proxy_get_shared_data(keyPtr, keySize, valuePtrPtr, valueSizePtr, casPtr) {
      guard("env.proxy_get_shared_data");
      if (!ok(keyPtr, keySize) || !ok(casPtr, 4)) return Status.InvalidMemoryAccess;
      const e = vm.env.sharedData.get(str(keyPtr, keySize));
      if (!e) return Status.NotFound;
      mem().writeU32(casPtr, e.cas);
      return vm.copyOut(e.value, valuePtrPtr, valueSizePtr);
    },
    proxy_set_shared_data(keyPtr, keySize, valuePtr, valueSize, cas) {
      guard("env.proxy_set_shared_data");
      if (!ok(keyPtr, keySize) || !ok(valuePtr, valueSize)) return Status.InvalidMemoryAccess;
      const key = str(keyPtr, keySize);
      const e = vm.env.sharedData.get(key);
      if (cas !== 0 && e && e.cas !== cas >>> 0) return Status.CasMismatch;
      vm.env.sharedData.set(key, { value: bytes(valuePtr, valueSize), cas: (e?.cas ?? 0) + 1 });
      return Status.Ok;
    },
    proxy_register_shared_queue(namePtr, nameSize, tokenPtr) {
      guard("env.proxy_register_shared_queue");
      if (!ok(namePtr, nameSize) || !ok(tokenPtr, 4)) return Status.InvalidMemoryAccess;
      const name = str(namePtr, nameSize);
      const root = vm.rootOf(vm.ctx());
      for (const [t, q] of vm.queues) {
        if (q.name === name) {
          q.rootId = root.id;
          mem().writeU32(tokenPtr, t);
          return Status.Ok;
        }
      }
      const token = vm.queues.size + 1;
      vm.queues.set(token, { name, rootId: root.id, items: [] });
      mem().writeU32(tokenPtr, token);
      return Status.Ok;
    },
    proxy_resolve_shared_queue(_vmPtr, _vmSize, namePtr, nameSize, tokenPtr) {
      guard("env.proxy_resolve_shared_queue");
      if (!ok(namePtr, nameSize) || !ok(tokenPtr, 4)) return Status.InvalidMemoryAccess;
      const name = str(namePtr, nameSize);
      for (const [t, q] of vm.queues) {
        if (q.name === name) {
          mem().writeU32(tokenPtr, t);
          return Status.Ok;
        }
      }
      return Status.NotFound;
    },
    proxy_dequeue_shared_queue(token, ptrPtr, sizePtr) {
      guard("env.proxy_dequeue_shared_queue");
      const q = vm.queues.get(token);
      if (!q) return Status.NotFound;
      const item = q.items.shift();
      if (!item) return Status.Empty;
      return vm.copyOut(item, ptrPtr, sizePtr);
    },
    proxy_enqueue_shared_queue(token, ptr, size) {
      guard("env.proxy_enqueue_shared_queue");
      if (!ok(ptr, size)) return Status.InvalidMemoryAccess;
      const q = vm.queues.get(token);
      if (!q) return Status.NotFound;
      q.items.push(bytes(ptr, size));
      vm.defer(() => {
        const root = vm.contexts.get(q.rootId);
        if (root) vm.call("proxy_on_queue_ready", root, root.id, token);
      });
      return Status.Ok;
    },
    proxy_continue_stream(type) {
      guard("env.proxy_continue_stream");
      const s = vm.stream();
      if (type === StreamType.Request || type === StreamType.Response) {
        // Context::continueStream: the headers are released at once, the stream resumes after
        // the VM call (addAfterVmCallAction).
        if (s) {
          if (type === StreamType.Request) {
            s.access.requestHeaders = null;
            s.requestBody = undefined;
            s.access.requestTrailers = null;
            if (s.pausedRequest) vm.defer(() => s.resume());
          } else {
            s.access.responseHeaders = null;
            s.responseBody = undefined;
            s.access.responseTrailers = null;
            s.pausedResponse = false;
          }
        }
        return Status.Ok;
      }
      if (type === StreamType.Downstream) return Status.Ok;
      if (type === StreamType.Upstream) return Status.Unimplemented;
      return Status.BadArgument;
    },
    proxy_close_stream(type) {
      guard("env.proxy_close_stream");
      const s = vm.stream();
      if (type > StreamType.Upstream) return Status.BadArgument;
      if (s && type <= StreamType.Response) {
        vm.defer(() => {
          if (!s.localResponse) s.closed = "wasm_close_stream";
        });
      }
      return Status.Ok;
    },
    proxy_get_header_map_value(type, keyPtr, keySize, valuePtrPtr, valueSizePtr) {
      guard("env.proxy_get_header_map_value");
      if (!ok(keyPtr, keySize)) return Status.InvalidMemoryAccess;
      const m = getMap(vm, type, false);
      if (!m) return Status.BadArgument;
      const value = m.getLower(mem().readKey(keyPtr, keySize));
      if (value === undefined) return Status.NotFound;
      return vm.copyOutString(value, valuePtrPtr, valueSizePtr);
    },
    proxy_add_header_map_value(type, keyPtr, keySize, valuePtr, valueSize) {
      guard("env.proxy_add_header_map_value");
      if (!ok(keyPtr, keySize) || !ok(valuePtr, valueSize)) return Status.InvalidMemoryAccess;
      const m = getMap(vm, type, true);
      if (!m) return Status.BadArgument;
      m.add(str(keyPtr, keySize), str(valuePtr, valueSize));
      headersModified(vm, type);
      return Status.Ok;
    },
    proxy_replace_header_map_value(type, keyPtr, keySize, valuePtr, valueSize) {
      guard("env.proxy_replace_header_map_value");
      if (!ok(keyPtr, keySize) || !ok(valuePtr, valueSize)) return Status.InvalidMemoryAccess;
      const m = getMap(vm, type, true);
      if (!m) return Status.BadArgument;
      m.replaceLower(mem().readKey(keyPtr, keySize), str(valuePtr, valueSize));
      headersModified(vm, type);
      return Status.Ok;
    },
    proxy_remove_header_map_value(type, keyPtr, keySize) {
      guard("env.proxy_remove_header_map_value");
      if (!ok(keyPtr, keySize)) return Status.InvalidMemoryAccess;
      const m = getMap(vm, type, true);
      if (!m) return Status.BadArgument;
      m.removeLower(mem().readKey(keyPtr, keySize));
      headersModified(vm, type);
      return Status.Ok;
    },
    proxy_get_header_map_pairs(type, ptrPtr, sizePtr) {
      guard("env.proxy_get_header_map_pairs");
      const m = getMap(vm, type, false);
      if (!m) return Status.BadArgument;
      // exports.cc get_header_map_pairs: an empty map is handed over as (0, 0).
      if (m.size === 0) return vm.copyOut(new Uint8Array(0), ptrPtr, sizePtr);
      const text = m.pairsText();
      const size = 4 + text.count * 8 + text.bytes;
      const p = vm.alloc(size);
      if (p === 0 || !ok(p, size) || !ok(ptrPtr, 4) || !ok(sizePtr, 4)) {
        return Status.InvalidMemoryAccess;
      }
      const v = mem().views();
      marshalPairs(text, v.node, v.dv, p);
      mem().writeU32(ptrPtr, p);
      mem().writeU32(sizePtr, size);
      return Status.Ok;
    },
    proxy_set_header_map_pairs(type, ptr, size) {
      guard("env.proxy_set_header_map_pairs");
      if (!ok(ptr, size)) return Status.InvalidMemoryAccess;
      const m = getMap(vm, type, true);
      if (!m) return Status.BadArgument;
      m.setAll(unmarshalPairs(bytes(ptr, size)));
      headersModified(vm, type);
      return Status.Ok;
    },
    proxy_get_header_map_size(type, sizePtr) {
      guard("env.proxy_get_header_map_size");
      const m = getMap(vm, type, false);
      if (!m) return Status.BadArgument;
      if (!ok(sizePtr, 4)) return Status.InvalidMemoryAccess;
      mem().writeU32(sizePtr, m.byteSize());
      return Status.Ok;
    },
    proxy_get_buffer_status(type, lengthPtr, flagsPtr) {
      guard("env.proxy_get_buffer_status");
      if (type > BufferType.CallData) return Status.BadArgument;
      const b = getBuffer(vm, type);
      if (!b) return Status.NotFound;
      if (!ok(lengthPtr, 4) || !ok(flagsPtr, 4)) return Status.InvalidMemoryAccess;
      mem().writeU32(lengthPtr, b.length);
      mem().writeU32(flagsPtr, 0);
      return Status.Ok;
    },
    proxy_get_buffer_bytes(type, start, length, ptrPtr, sizePtr) {
      guard("env.proxy_get_buffer_bytes");
      if (type > BufferType.CallData) return Status.BadArgument;
      const b = getBuffer(vm, type);
      if (!b) return Status.NotFound;
      const s = start >>> 0;
      let len = length >>> 0;
      if (s + len > b.length) len = Math.max(0, b.length - s);
      // exports.cc get_buffer_bytes: nothing to copy → NotFound.
      if (len === 0) return Status.NotFound;
      return vm.copyOut(b.subarray(s, s + len), ptrPtr, sizePtr);
    },
    proxy_set_buffer_bytes(type, start, length, ptr, size) {
      guard("env.proxy_set_buffer_bytes");
      if (type > BufferType.CallData) return Status.BadArgument;
      if (!ok(ptr, size)) return Status.InvalidMemoryAccess;
      const b = getBuffer(vm, type);
      if (!b) return Status.NotFound;
      const next = spliceBuffer(b, start >>> 0, length >>> 0, bytes(ptr, size));
      if (!next) return Status.BadArgument;
      return setBuffer(vm, type, next) ? Status.Ok : Status.BadArgument;
    },
    proxy_http_call(
      upstreamPtr,
      upstreamSize,
      headersPtr,
      headersSize,
      bodyPtr,
      bodySize,
      trailersPtr,
      trailersSize,
      timeoutMs,
      tokenPtr,
    ) {
      guard("env.proxy_http_call");
      if (
        !ok(upstreamPtr, upstreamSize) ||
        !ok(headersPtr, headersSize) ||
        !ok(bodyPtr, bodySize) ||
        !ok(trailersPtr, trailersSize) ||
        !ok(tokenPtr, 4)
      ) {
        return Status.InvalidMemoryAccess;
      }
      // exports.cc http_call: always on the root context. Envoy Context::httpCall checks, in
      // order: timeout < 0, unknown cluster, missing :path/:method/:authority → BadArgument.
      const root = vm.rootOf(vm.ctx());
      if ((timeoutMs | 0) < 0) return Status.BadArgument;
      const cluster = str(upstreamPtr, upstreamSize);
      const known = vm.env.clusters;
      if (cluster.length === 0 || (known !== undefined && !known.has(cluster))) {
        return Status.BadArgument;
      }
      const headers = new HeaderMap(unmarshalPairs(bytes(headersPtr, headersSize)));
      if (!headers.get(":path") || !headers.get(":method") || !headers.get(":authority")) {
        return Status.BadArgument;
      }
      const token = vm.nextHttpCallId++;
      vm.httpCalls.set(token, {
        token,
        cluster,
        headers: headers.pairs(),
        body: str(bodyPtr, bodySize),
        trailers: unmarshalPairs(bytes(trailersPtr, trailersSize)),
        timeoutMs: timeoutMs | 0,
        contextId: root.id,
      });
      mem().writeU32(tokenPtr, token);
      return Status.Ok;
    },
    proxy_grpc_call(svcPtr, svcSize, ..._rest) {
      guard("env.proxy_grpc_call");
      if (!ok(svcPtr, svcSize)) return Status.InvalidMemoryAccess;
      // Context::grpcCall: an unknown cluster is ParseFailure; this host has no gRPC upstream,
      // which Envoy reports as a failed send (InternalFailure).
      const cluster = str(svcPtr, svcSize);
      const known = vm.env.clusters;
      if (known !== undefined && !known.has(cluster)) return Status.ParseFailure;
      return Status.InternalFailure;
    },
    proxy_grpc_stream(svcPtr, svcSize, ..._rest) {
      guard("env.proxy_grpc_stream");
      if (!ok(svcPtr, svcSize)) return Status.InvalidMemoryAccess;
      const known = vm.env.clusters;
      if (known !== undefined && !known.has(str(svcPtr, svcSize))) return Status.ParseFailure;
      return Status.InternalFailure;
    },
    proxy_grpc_close(_token) {
      guard("env.proxy_grpc_close");
      return Status.NotFound;
    },
    proxy_grpc_cancel(_token) {
      guard("env.proxy_grpc_cancel");
      return Status.NotFound;
    },
    proxy_grpc_send(_token, ..._rest) {
      guard("env.proxy_grpc_send");
      return Status.NotFound;
    },
    proxy_set_tick_period_milliseconds(period) {
      guard("env.proxy_set_tick_period_milliseconds");
      vm.rootOf(vm.ctx()).tickPeriodMs = period >>> 0;
      return Status.Ok;
    },
    proxy_get_current_time_nanoseconds(ptr) {
      guard("env.proxy_get_current_time_nanoseconds");
      if (!ok(ptr, 8)) return Status.InvalidMemoryAccess;
      mem().writeU64(ptr, vm.env.clock.nowNs());
      return Status.Ok;
    },
    proxy_define_metric(type, namePtr, nameSize, idPtr) {
      guard("env.proxy_define_metric");
      if (!ok(namePtr, nameSize) || !ok(idPtr, 4)) return Status.InvalidMemoryAccess;
      const r = vm.env.metrics.define(type >>> 0, str(namePtr, nameSize));
      if (r.status === Status.Ok) mem().writeU32(idPtr, r.id);
      return r.status;
    },
    proxy_increment_metric(id, offset) {
      guard("env.proxy_increment_metric");
      return vm.env.metrics.increment(id >>> 0, Number(offset as unknown as bigint));
    },
    proxy_record_metric(id, value) {
      guard("env.proxy_record_metric");
      return vm.env.metrics.record(
        id >>> 0,
        Number(BigInt.asUintN(64, value as unknown as bigint)),
      );
    },
    proxy_get_metric(id, resultPtr) {
      guard("env.proxy_get_metric");
      const r = vm.env.metrics.get(id >>> 0);
      if (r.status !== Status.Ok) return r.status;
      if (!ok(resultPtr, 8)) return Status.InvalidMemoryAccess;
      mem().writeU64(resultPtr, BigInt(r.value));
      return Status.Ok;
    },
    proxy_set_effective_context(id) {
      guard("env.proxy_set_effective_context");
      return vm.setEffective(id >>> 0);
    },
    proxy_done() {
      guard("env.proxy_done");
      // WasmBase::done: only a root context whose on_done returned false is pending; its
      // on_delete is deferred so it does not run inside the done() call.
      const c = vm.ctx();
      if (c.kind !== "root" || !vm.pendingDone.has(c.id)) return Status.NotFound;
      vm.pendingDone.delete(c.id);
      vm.defer(() => {
        vm.call("proxy_on_delete", c, c.id);
        vm.contexts.delete(c.id);
      });
      return Status.Ok;
    },
    proxy_call_foreign_function(namePtr, nameSize, _argPtr, _argSize, _resPtrPtr, _resSizePtr) {
      guard("env.proxy_call_foreign_function");
      if (!ok(namePtr, nameSize)) return Status.InvalidMemoryAccess;
      const name = mem().readName(namePtr, nameSize);
      // Envoy ≥ 1.33 registers "clear_route_cache" (source/extensions/common/wasm/foreign.cc);
      // older Envoys answer NotFound for it like for any unknown name.
      if (name === "clear_route_cache" && vm.env.clearRouteCache === "supported") {
        const s = vm.stream();
        if (s) s.routeCacheCleared = true;
        return Status.Ok;
      }
      return Status.NotFound;
    },
  };
  return fns;
}
