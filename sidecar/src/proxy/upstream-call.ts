import { type ClientRequest, type IncomingMessage, request } from "node:http";
import type { Socket } from "node:net";
import type { ClusterStats } from "./cluster-stats.js";
import { type EnvoyReply, UPSTREAM_TIMEOUT, upstreamReset } from "./envoy-replies.js";
import type { Upstream } from "./upstream.js";

export interface UpstreamCallHandlers {
  /** Response headers arrived (`serviceTimeMs`: upstream request start → headers). */
  onHeaders(res: IncomingMessage, serviceTimeMs: number): void;
  /** The call failed before response headers: the reply Envoy's router would send. */
  onFailure(reply: EnvoyReply): void;
  /** The call broke after the response started (reset or timeout): the downstream is reset. */
  onBrokenResponse(): void;
  /** The whole response was received. */
  onComplete(): void;
}

/**
 * One request to an upstream cluster, with Envoy's router semantics and cluster stats:
 * `connect_timeout` while connecting; the route timeout from the end of the request to the end of
 * the response (504 before headers, a reset after); connect failures → 503 with Envoy's text;
 * upstream_rq_total counted once a connection carries the request (ConnPoolImplBase), response
 * codes charged at headers (Router::chargeUpstreamCode), upstream_rq_time at completion.
 */
export class UpstreamCall {
  private req: ClientRequest;
  private readonly started = performance.now();
  private requestEndAt: number | undefined;
  private routeTimer: NodeJS.Timeout | undefined;
  private connectTimer: NodeJS.Timeout | undefined;
  private connected = false;
  private connectTimedOut = false;
  private responded = false;
  private done = false;
  private ended = false;
  private bodyWritten = false;
  private retried = false;

  constructor(
    private readonly upstream: Upstream,
    private readonly method: string,
    private readonly path: string,
    private readonly headers: [string, string][],
    private readonly stats: ClusterStats,
    private readonly h: UpstreamCallHandlers,
  ) {
    stats.activeDelta(upstream.name, 1);
    this.req = this.open();
  }

  private open(): ClientRequest {
    const req = request({
      agent: this.upstream.agent,
      host: this.upstream.host,
      port: this.upstream.port,
      method: this.method,
      path: this.path,
      headers: this.headers.flat(),
      setHost: false,
    });
    req.on("socket", (s: Socket) => this.onSocket(s));
    req.on("response", (res) => this.onResponse(res));
    req.on("error", () => this.onError(req));
    return req;
  }

  private onSocket(s: Socket): void {
    if (!s.connecting) {
      this.connected = true;
      this.stats.inc(this.upstream.name, "upstream_rq_total");
      return;
    }
    this.connectTimer = setTimeout(() => {
      this.connectTimedOut = true;
      this.stats.inc(this.upstream.name, "upstream_cx_connect_timeout");
      s.destroy(new Error("connect timeout"));
    }, this.upstream.config.connectTimeoutMs);
    s.once("connect", () => {
      clearTimeout(this.connectTimer);
      this.connected = true;
      this.stats.inc(this.upstream.name, "upstream_cx_total");
      this.stats.inc(this.upstream.name, "upstream_rq_total");
    });
  }

  private onResponse(res: IncomingMessage): void {
    if (this.done) {
      res.resume();
      return;
    }
    this.responded = true;
    const status = res.statusCode ?? 502;
    this.stats.chargeCode(this.upstream.name, status);
    this.h.onHeaders(res, Math.round(performance.now() - this.started));
    res.on("end", () => {
      if (this.done) return;
      this.stats.recordTime(this.upstream.name, this.elapsedSinceRequestEnd());
      this.finish();
      this.h.onComplete();
    });
    res.on("error", () => this.onError(this.req));
    res.on("aborted", () => this.onError(this.req));
  }

  private elapsedSinceRequestEnd(): number {
    return Math.max(0, Math.round(performance.now() - (this.requestEndAt ?? this.started)));
  }

  private onError(req: ClientRequest): void {
    if (this.done || req !== this.req) return;
    // A pooled connection the upstream closed while idle: send once more on a fresh one, as Node
    // recommends (req.reusedSocket) and Istio's default retry policy would ("reset").
    if (!this.responded && req.reusedSocket && !this.bodyWritten && this.ended && !this.retried) {
      this.retried = true;
      this.stats.inc(this.upstream.name, "upstream_rq_retry");
      this.req = this.open();
      this.req.end();
      return;
    }
    this.finish();
    if (this.responded) {
      this.stats.inc(this.upstream.name, "upstream_rq_rx_reset");
      this.h.onBrokenResponse();
      return;
    }
    let reply: EnvoyReply;
    if (!this.connected) {
      this.stats.inc(this.upstream.name, "upstream_cx_connect_fail");
      reply = upstreamReset(this.connectTimedOut ? "connection timeout" : "connection failure");
    } else {
      this.stats.inc(this.upstream.name, "upstream_rq_rx_reset");
      reply = upstreamReset("connection termination");
    }
    this.stats.chargeCode(this.upstream.name, reply.status);
    this.h.onFailure(reply);
  }

  private onRouteTimeout(): void {
    if (this.done) return;
    this.finish();
    this.stats.inc(this.upstream.name, "upstream_rq_timeout");
    this.req.destroy();
    if (this.responded) {
      this.h.onBrokenResponse();
      return;
    }
    this.stats.chargeCode(this.upstream.name, UPSTREAM_TIMEOUT.status);
    this.h.onFailure(UPSTREAM_TIMEOUT);
  }

  private finish(): void {
    this.done = true;
    clearTimeout(this.routeTimer);
    clearTimeout(this.connectTimer);
    this.stats.activeDelta(this.upstream.name, -1);
  }

  /** Bytes of the request body; false = wait for 'drain' (backpressure). */
  write(chunk: Buffer): boolean {
    if (this.done) return true;
    this.bodyWritten = true;
    return this.req.write(chunk);
  }

  /** Bytes queued but not yet sent (a slow shadow is dropped when this grows too large). */
  get buffered(): number {
    return this.req.writableLength;
  }

  onDrain(fn: () => void): void {
    this.req.once("drain", fn);
  }

  /** The request is complete: the route timeout starts (Envoy: from downstream end of stream). */
  end(): void {
    if (this.done || this.ended) return;
    this.ended = true;
    this.requestEndAt = performance.now();
    this.req.end();
    const t = this.upstream.config.requestTimeoutMs;
    if (t > 0) this.routeTimer = setTimeout(() => this.onRouteTimeout(), t);
  }

  /** The downstream went away (or the shadow is dropped): reset the upstream request. */
  abort(): void {
    if (this.done) return;
    this.finish();
    this.req.destroy();
  }

  /** True once end() was called: the whole request was handed over. */
  get requestEnded(): boolean {
    return this.ended;
  }

  get finished(): boolean {
    return this.done;
  }
}
