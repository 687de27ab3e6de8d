import type { HeaderMap } from "./header-map.js";
import type { SelectedRoute } from "./route-table.js";

/** A response given to an http call by the test (or "reset" for a failure). */
export interface HttpCallResponse {
  headers: HeaderMap;
  body: Uint8Array;
  trailers: HeaderMap;
}

/** An outgoing `proxy_http_call` waiting for `respondToHttpCall`. */
export interface PendingHttpCall {
  token: number;
  cluster: string;
  headers: [string, string][];
  body: string;
  trailers: [string, string][];
  timeoutMs: number;
  /** Id of the root context that made the call (Envoy makes every call on the root context). */
  contextId: number;
}

/** A plugin's root context (proxy-wasm-cpp-host ContextBase with isRootContext()). */
export interface RootContext {
  kind: "root";
  id: number;
  pluginConfig: Uint8Array;
  /** True while the plugin configuration buffer is readable (temp_plugin_ set). */
  pluginConfigReadable: boolean;
  tickPeriodMs: number;
  httpCallResponse: HttpCallResponse | undefined;
  status: { code: number; message: string };
}

export type MapAccess = "rw" | "r" | null;

/** A local reply, from `proxy_send_local_response` or from a failed VM (`wasm_fail_stream`). */
export interface LocalResponse {
  status: number;
  body: string;
  headers: [string, string][];
  details: string;
  grpcStatus?: number;
}

/** An HTTP stream's context and what Envoy lets it see at each moment. */
export interface StreamContext {
  kind: "stream";
  id: number;
  root: RootContext;
  created: boolean;
  requestHeaders: HeaderMap;
  requestTrailers: HeaderMap;
  responseHeaders: HeaderMap;
  responseTrailers: HeaderMap;
  access: {
    requestHeaders: MapAccess;
    requestTrailers: MapAccess;
    responseHeaders: MapAccess;
    responseTrailers: MapAccess;
  };
  requestBody: Uint8Array | undefined;
  responseBody: Uint8Array | undefined;
  bufferedRequestBody: Uint8Array;
  bufferedResponseBody: Uint8Array;
  /**
   * Filter state written by proxy_set_property. Envoy keys it `wasm.<path>` (CelStateKeyPrefix);
   * here the key is the path alone, which is the same map without the constant prefix.
   */
  filterState: Map<string, string>;
  routeCacheCleared: boolean;
  route: SelectedRoute | undefined;
  routeSelections: number;
  pausedRequest: boolean;
  pausedResponse: boolean;
  localResponse: LocalResponse | undefined;
  /** Set when the filter reset the stream (proxy_close_stream): the response code details. */
  closed: string | undefined;
  streamFailed: boolean;
  /** Resumes a paused request (proxy_continue_stream): the router then runs. */
  resume: () => void;
  /** A local reply was just set outside a stream callback (e.g. from an http-call answer). */
  localReplySent: () => void;
  status: { code: number; message: string };
}

export type Context = RootContext | StreamContext;
