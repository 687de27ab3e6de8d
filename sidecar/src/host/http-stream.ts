import {
  type DataAction,
  DataActions,
  type FilterAction,
  type HeaderAction,
  HeaderActions,
} from "./abi.js";
import type { LocalResponse, RootContext, StreamContext } from "./contexts.js";
import { concatBytes, utf8 } from "./guest-memory.js";
import { HeaderMap } from "./header-map.js";
import { type CompiledRoutes, type SelectedRoute, selectRoute } from "./route-table.js";
import type { WasmVm } from "./wasm-vm.js";

/** Headers as the test API accepts them. */
export type HeadersInput = Record<string, string> | readonly (readonly [string, string])[];

function toPairs(h: HeadersInput): Iterable<readonly [string, string]> {
  return Array.isArray(h)
    ? (h as readonly (readonly [string, string])[])
    : Object.entries(h as Record<string, string>);
}

/** What the stream needs from the emulator that owns it. */
export interface StreamOwner {
  vm: WasmVm;
  routes: CompiledRoutes;
  failOpen: boolean;
  servingRoot(): RootContext;
}

/**
 * cpp-host convertVmCallResultToFilterHeadersStatus: StopIteration becomes
 * StopAllIterationAndWatermark, and so does anything after a local reply (`stopped`).
 */
function headerAction(r: number, stopped: boolean): HeaderAction {
  if (stopped || r === 1 || r > 4) return "StopAllIterationAndWatermark";
  return HeaderActions[r] as HeaderAction;
}

/** convertVmCallResultToFilterDataStatus: past the last value, or stopped: StopIterationNoBuffer. */
function dataAction(r: number, stopped: boolean): DataAction {
  if (stopped) return "StopIterationNoBuffer";
  return (DataActions[r] ?? "StopIterationNoBuffer") as DataAction;
}

/** convertVmCallResultToFilterTrailersStatus: 0 Continue, anything else (or stopped) StopIteration. */
function trailersAction(r: number, stopped: boolean): HeaderAction {
  return r === 0 && !stopped ? "Continue" : "StopIteration";
}

const EMPTY = new Uint8Array(0);
const NO_HEADERS = new HeaderMap();

/**
 * One HTTP stream through the plugin, driven by the test: the callbacks Envoy's Wasm filter makes
 * (source/extensions/common/wasm/context.cc decodeHeaders, decodeData, encodeHeaders, ..., log,
 * onDestroy) with the same map/buffer lifetimes, route selection at request start and after a
 * cleared route cache, and fail-open/fail-closed handling after a trap (cpp-host CHECK_FAIL_HTTP).
 */
export class HttpStream {
  private readonly ctx: StreamContext;
  /** False when the VM had already failed under FAIL_OPEN: Envoy then adds no filter at all. */
  private readonly filterPresent: boolean;
  private completed = false;
  /** True while a stream callback runs: a local reply made in it is sent when it returns. */
  private inCallback = false;

  constructor(private readonly owner: StreamOwner) {
    const root = owner.servingRoot();
    const vm = owner.vm;
    this.filterPresent = !(vm.failed && owner.failOpen);
    this.ctx = {
      kind: "stream",
      id: this.filterPresent ? vm.allocContextId() : 0,
      root,
      created: false,
      // Maps the guest cannot write until the stream replaces them, so one empty map serves all.
      requestHeaders: NO_HEADERS,
      requestTrailers: NO_HEADERS,
      responseHeaders: NO_HEADERS,
      responseTrailers: NO_HEADERS,
      access: {
        requestHeaders: null,
        requestTrailers: null,
        responseHeaders: null,
        responseTrailers: null,
      },
      requestBody: undefined,
      responseBody: undefined,
      bufferedRequestBody: EMPTY,
      bufferedResponseBody: EMPTY,
      filterState: new Map(),
      routeCacheCleared: false,
      route: undefined,
      routeSelections: 0,
      pausedRequest: false,
      pausedResponse: false,
      localResponse: undefined,
      closed: undefined,
      streamFailed: false,
      status: { code: 0, message: "" },
      resume: () => this.routerContinues(),
      localReplySent: () => {
        if (!this.inCallback) this.afterLocalReply();
      },
    };
    if (this.filterPresent) vm.contexts.set(this.ctx.id, this.ctx);
  }

  /** The stream context id the guest sees. */
  get contextId(): number {
    return this.ctx.id;
  }

  private get vm(): WasmVm {
    return this.owner.vm;
  }

  private callGuest(fn: string, c: StreamContext, ...args: number[]): number | undefined {
    const outer = this.inCallback;
    this.inCallback = true;
    this.vm.stopIteration = false;
    try {
      return this.vm.call(fn, c, ...args);
    } finally {
      this.inCallback = outer;
    }
  }

  /** Reads and lowers the stop flag a local reply raised during the last callback. */
  private stopped(): boolean {
    const s = this.vm.stopIteration;
    this.vm.stopIteration = false;
    return s;
  }

  /** Envoy's Context::onCreate: proxy_on_context_create(stream, root) once. */
  private ensureCreated(): void {
    if (this.ctx.created || !this.filterPresent) return;
    this.ctx.created = true;
    this.callGuest("proxy_on_context_create", this.ctx, this.ctx.id, this.ctx.root.id);
  }

  /** CHECK_FAIL_HTTP: true when the VM failed; under FAIL_CLOSE answers 503 once. */
  private checkFail(): boolean {
    if (!this.vm.failed) return false;
    if (!this.owner.failOpen && !this.ctx.streamFailed) {
      this.ctx.streamFailed = true;
      if (!this.ctx.localResponse) {
        this.ctx.localResponse = {
          status: 503,
          body: "",
          headers: [],
          details: "wasm_fail_stream",
        };
      }
    }
    return true;
  }

  private failedAction(): HeaderAction {
    return this.owner.failOpen ? "Continue" : "StopAllIterationAndWatermark";
  }

  private get answered(): boolean {
    return this.ctx.localResponse !== undefined || this.ctx.closed !== undefined;
  }

  private selectRoute(): void {
    this.ctx.route = selectRoute(this.owner.routes, this.ctx.requestHeaders);
    this.ctx.routeSelections++;
    this.ctx.routeCacheCleared = false;
  }

  /** The router runs once the request headers continue: it re-picks the route if cleared. */
  routerContinues(): void {
    this.ctx.pausedRequest = false;
    if (this.ctx.routeCacheCleared) this.selectRoute();
  }

  sendRequestHeaders(h: HeadersInput, endOfStream = false): FilterAction {
    const c = this.ctx;
    c.requestHeaders = new HeaderMap(toPairs(h));
    // The route is picked before the filter runs (the request's route cache).
    this.selectRoute();
    if (!this.filterPresent) return "Continue";
    this.ensureCreated();
    if (this.checkFail()) return this.failedAction();
    c.access.requestHeaders = "rw";
    const r = this.callGuest(
      "proxy_on_request_headers",
      c,
      c.id,
      c.requestHeaders.size,
      endOfStream ? 1 : 0,
    );
    if (this.checkFail()) {
      c.access.requestHeaders = null;
      return this.failedAction();
    }
    const action = r === undefined ? "Continue" : headerAction(r, this.stopped());
    if (action === "Continue" || action === "ContinueAndEndStream") {
      c.access.requestHeaders = null;
      if (!this.answered) this.routerContinues();
    } else {
      c.pausedRequest = true;
    }
    this.afterLocalReply();
    return action;
  }

  private body(
    kind: "request" | "response",
    data: Uint8Array | string,
    eos: boolean,
  ): FilterAction {
    const c = this.ctx;
    if (!this.filterPresent || this.answered) return "Continue";
    if (this.checkFail()) return this.owner.failOpen ? "Continue" : "StopIterationNoBuffer";
    const chunk = typeof data === "string" ? utf8(data) : data;
    const buffered = kind === "request" ? c.bufferedRequestBody : c.bufferedResponseBody;
    const whole = buffered.length > 0 ? concatBytes(buffered, chunk) : chunk;
    if (kind === "request") c.requestBody = whole;
    else c.responseBody = whole;
    const fn = kind === "request" ? "proxy_on_request_body" : "proxy_on_response_body";
    const r = this.callGuest(fn, c, c.id, whole.length, eos ? 1 : 0);
    if (this.checkFail()) return this.owner.failOpen ? "Continue" : "StopIterationNoBuffer";
    const action = r === undefined ? "Continue" : dataAction(r, this.stopped());
    const current = (kind === "request" ? c.requestBody : c.responseBody) ?? whole;
    const keep = action === "StopIterationAndBuffer" ? current : EMPTY;
    if (kind === "request") {
      c.bufferedRequestBody = keep;
      c.requestBody = undefined;
    } else {
      c.bufferedResponseBody = keep;
      c.responseBody = undefined;
    }
    this.afterLocalReply();
    return action;
  }

  sendRequestBody(body: Uint8Array | string, endOfStream = false): FilterAction {
    return this.body("request", body, endOfStream);
  }

  sendResponseBody(body: Uint8Array | string, endOfStream = false): FilterAction {
    return this.body("response", body, endOfStream);
  }

  private trailers(kind: "request" | "response", h: HeadersInput): FilterAction {
    const c = this.ctx;
    const map = new HeaderMap(toPairs(h));
    if (kind === "request") c.requestTrailers = map;
    else c.responseTrailers = map;
    if (!this.filterPresent || this.answered) return "Continue";
    if (this.checkFail()) return this.owner.failOpen ? "Continue" : "StopIteration";
    const key = kind === "request" ? "requestTrailers" : "responseTrailers";
    c.access[key] = "rw";
    const fn = kind === "request" ? "proxy_on_request_trailers" : "proxy_on_response_trailers";
    const r = this.callGuest(fn, c, c.id, map.size);
    c.access[key] = null;
    if (this.checkFail()) return this.owner.failOpen ? "Continue" : "StopIteration";
    this.afterLocalReply();
    return r === undefined ? "Continue" : trailersAction(r, this.stopped());
  }

  sendRequestTrailers(h: HeadersInput): FilterAction {
    return this.trailers("request", h);
  }

  sendResponseTrailers(h: HeadersInput): FilterAction {
    return this.trailers("response", h);
  }

  sendResponseHeaders(h: HeadersInput, endOfStream = false): FilterAction {
    const c = this.ctx;
    c.responseHeaders = new HeaderMap(toPairs(h));
    if (!this.filterPresent || this.answered) return "Continue";
    return this.encodeHeaders(endOfStream);
  }

  private encodeHeaders(endOfStream: boolean): FilterAction {
    const c = this.ctx;
    this.ensureCreated();
    if (this.checkFail()) return this.failedAction();
    c.access.responseHeaders = "rw";
    const r = this.callGuest(
      "proxy_on_response_headers",
      c,
      c.id,
      c.responseHeaders.size,
      endOfStream ? 1 : 0,
    );
    if (this.checkFail()) {
      c.access.responseHeaders = null;
      return this.failedAction();
    }
    const action = r === undefined ? "Continue" : headerAction(r, this.stopped());
    if (action === "Continue" || action === "ContinueAndEndStream") c.access.responseHeaders = null;
    else c.pausedResponse = true;
    return action;
  }

  /**
   * A local reply goes out through the encoder filters, this one included
   * (FilterManager::sendLocalReplyViaFilterChain), so the filter sees its response headers.
   */
  private localReplyEncoded = false;
  private afterLocalReply(): void {
    const lr = this.ctx.localResponse;
    if (!lr || this.localReplyEncoded || this.vm.failed) return;
    this.localReplyEncoded = true;
    const headers: [string, string][] = [[":status", String(lr.status)]];
    if (lr.body.length > 0) {
      headers.push(["content-length", String(Buffer.byteLength(lr.body))]);
      headers.push(["content-type", "text/plain"]);
    }
    headers.push(...lr.headers);
    this.ctx.responseHeaders = new HeaderMap(headers);
    this.encodeHeaders(lr.body.length === 0);
    this.ctx.access.responseHeaders = null;
    if (lr.body.length > 0 && !this.vm.failed) {
      const body = utf8(lr.body);
      this.ctx.responseBody = body;
      this.callGuest("proxy_on_response_body", this.ctx, this.ctx.id, body.length, 1);
      this.ctx.responseBody = undefined;
    }
  }

  /**
   * End of the stream, in Envoy's order: access logging first (proxy_on_log, with request and
   * response headers readable), then filter destruction (proxy_on_done, proxy_on_delete).
   */
  complete(): void {
    if (this.completed) return;
    this.completed = true;
    const c = this.ctx;
    if (!this.filterPresent) return;
    const vm = this.vm;
    c.access.requestTrailers = null;
    // Context::log creates the context if no callback did; onLog is skipped on a failed VM.
    this.ensureCreated();
    c.access.requestHeaders = "r";
    c.access.responseHeaders = "r";
    c.access.responseTrailers = "r";
    vm.call("proxy_on_log", c, c.id);
    c.access.requestHeaders = null;
    c.access.responseHeaders = null;
    c.access.responseTrailers = null;
    vm.call("proxy_on_done", c, c.id);
    vm.call("proxy_on_delete", c, c.id);
    vm.contexts.delete(c.id);
  }

  /** Current request headers (what the upstream would get). */
  requestHeaders(): [string, string][] {
    return this.ctx.requestHeaders.pairs();
  }

  responseHeaders(): [string, string][] {
    return this.ctx.responseHeaders.pairs();
  }

  /** A current request header (first value). */
  header(name: string): string | undefined {
    return this.ctx.requestHeaders.get(name);
  }

  responseHeader(name: string): string | undefined {
    return this.ctx.responseHeaders.get(name);
  }

  /** Filter state the plugin set with proxy_set_property(path, value). */
  property(path: string): string | undefined {
    return this.ctx.filterState.get(path);
  }

  get localResponse(): LocalResponse | undefined {
    return this.ctx.localResponse;
  }

  /** The response code details when the plugin reset the stream (proxy_close_stream). */
  get closed(): string | undefined {
    return this.ctx.closed;
  }

  get route(): SelectedRoute | undefined {
    return this.ctx.route;
  }

  /** How often the route was picked: 1 at request start, +1 after each cleared route cache. */
  get routeSelections(): number {
    return this.ctx.routeSelections;
  }

  get paused(): boolean {
    return this.ctx.pausedRequest;
  }
}
