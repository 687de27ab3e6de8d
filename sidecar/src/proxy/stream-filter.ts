import type { Emulator, HttpStream, SelectedRoute } from "../host/index.js";
import type { EnvoyReply } from "./envoy-replies.js";
import { headerValue } from "./headers.js";
import type { RoutesConfig } from "./sidecar-config.js";

/** What the filter chain decided once the request headers went through it. */
export interface RequestVerdict {
  /** The request headers to forward (the filter's changes applied). */
  pairs: [string, string][];
  route: SelectedRoute;
  /** A local reply instead of forwarding (the filter's, or fail-closed 503). */
  local?: EnvoyReply;
}

/** The HTTP filter chain of one stream: the Wasm filter, or nothing (pass-through). */
export interface StreamFilter {
  requestHeaders(pairs: [string, string][], endOfStream: boolean): RequestVerdict;
  requestBody(chunk: Uint8Array, endOfStream: boolean): void;
  responseHeaders(pairs: [string, string][], endOfStream: boolean): [string, string][];
  responseBody(chunk: Uint8Array, endOfStream: boolean): void;
  /** End of stream (access log, filter destruction); returns the `cohort.decision` property. */
  complete(): string | undefined;
}

const EMPTY = new Uint8Array(0);

/** The Wasm filter in the host, driven with Envoy's callbacks (see sidecar/src/host). */
export class WasmStreamFilter implements StreamFilter {
  private readonly s: HttpStream;
  private decision: string | undefined;

  constructor(em: Emulator) {
    this.s = em.stream();
  }

  requestHeaders(pairs: [string, string][], endOfStream: boolean): RequestVerdict {
    const s = this.s;
    s.sendRequestHeaders(pairs, endOfStream);
    const lr = s.localResponse;
    const route = s.route ?? { cluster: "" };
    if (lr) {
      return {
        pairs,
        route,
        local: {
          status: lr.status,
          body: lr.body,
          details: lr.details,
          flags: "",
          headers: s.responseHeaders(),
        },
      };
    }
    if (s.closed !== undefined) {
      return { pairs, route, local: { status: 503, body: "", details: s.closed, flags: "" } };
    }
    return { pairs: s.requestHeaders(), route };
  }

  requestBody(chunk: Uint8Array, endOfStream: boolean): void {
    this.s.sendRequestBody(chunk.length === 0 ? EMPTY : chunk, endOfStream);
  }

  responseHeaders(pairs: [string, string][], endOfStream: boolean): [string, string][] {
    this.s.sendResponseHeaders(pairs, endOfStream);
    return this.s.responseHeaders();
  }

  responseBody(chunk: Uint8Array, endOfStream: boolean): void {
    this.s.sendResponseBody(chunk, endOfStream);
  }

  complete(): string | undefined {
    this.decision ??= this.s.property("cohort.decision");
    this.s.complete();
    return this.decision ?? this.s.property("cohort.decision");
  }
}

/**
 * The same proxy without the filter: the route table alone decides (a client-sent routing header
 * picks the version, as it would on an Envoy without Cohort). Used to measure the filter's cost.
 */
export class PassThroughFilter implements StreamFilter {
  constructor(private readonly routes: RoutesConfig) {}

  requestHeaders(pairs: [string, string][]): RequestVerdict {
    const r = this.routes;
    const v = headerValue(pairs, r.routingHeader);
    const cluster = v === undefined ? undefined : r.versions[v];
    if (cluster === undefined) return { pairs, route: { cluster: r.defaultCluster } };
    const m = headerValue(pairs, r.mirrorHeader);
    const mirror = m === undefined || m === v ? undefined : r.versions[m];
    return { pairs, route: mirror ? { cluster, mirrorCluster: mirror } : { cluster } };
  }

  requestBody(): void {}

  responseHeaders(pairs: [string, string][]): [string, string][] {
    return pairs;
  }

  responseBody(): void {}

  complete(): undefined {
    return undefined;
  }
}
