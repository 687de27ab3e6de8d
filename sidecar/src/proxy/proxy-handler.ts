import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../../../controller/src/log.js";
import type { ClusterStats } from "./cluster-stats.js";
import { CLUSTER_NOT_FOUND, type EnvoyReply, localReplyHeaders } from "./envoy-replies.js";
import { requestHeaderPairs, responseHeaderPairs, toUpstream } from "./headers.js";
import type { Shadow, ShadowSender } from "./shadow.js";
import type { StreamFilter } from "./stream-filter.js";
import type { Upstream } from "./upstream.js";
import { UpstreamCall } from "./upstream-call.js";

export interface ProxyDeps {
  clusters: Map<string, Upstream>;
  stats: ClusterStats;
  shadows: ShadowSender;
  /** A new filter chain for one stream (the Wasm filter, or pass-through). */
  newFilter(): StreamFilter;
  nextRequestId(): string;
  log: Logger;
  accessLog: boolean;
  /** Called after every stream ends (the sidecar forwards guest logs here). */
  afterStream(): void;
}

const EMPTY = Buffer.alloc(0);

function hasRequestBody(req: IncomingMessage): boolean {
  const cl = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (cl !== undefined && cl !== "0");
}

function hasResponseBody(method: string, status: number, res: IncomingMessage): boolean {
  if (method === "HEAD" || status === 204 || status === 304 || (status >= 100 && status < 200)) {
    return false;
  }
  return res.headers["content-length"] !== "0";
}

/** Response pairs → status and HTTP/1 headers, with Envoy's `server: envoy` (OVERWRITE). */
function toDownstream(pairs: [string, string][]): { status: number; headers: string[] } {
  let status = 502;
  const headers: string[] = [];
  for (const [k, v] of pairs) {
    if (k === ":status") status = Number(v);
    else if (!k.startsWith(":") && k !== "server") headers.push(k, v);
  }
  headers.push("server", "envoy");
  return { status, headers };
}

/**
 * One downstream request, the way Envoy's connection manager and router handle it: headers through
 * the filter (route picked before it and re-picked after it clears the route cache), forwarded to
 * the route's cluster with the filter's headers, bodies streamed chunk by chunk through the body
 * callbacks with backpressure, the response through the filter back to the client, a shadow copy
 * to the mirror cluster, Envoy's local replies on failure, and the stream completed at the end.
 */
export function handleRequest(req: IncomingMessage, res: ServerResponse, d: ProxyDeps): void {
  const started = performance.now();
  const filter = d.newFilter();
  const { pairs: inPairs } = requestHeaderPairs(req, {
    nextRequestId: d.nextRequestId,
    remoteAddress: req.socket.remoteAddress,
  });
  const withBody = hasRequestBody(req);
  const verdict = filter.requestHeaders(inPairs, !withBody);
  let upstream: UpstreamCall | undefined;
  let shadow: Shadow | undefined;
  let details = "via_upstream";
  let cluster = verdict.route.cluster;
  let completed = false;

  res.on("close", () => {
    if (completed) return;
    completed = true;
    // A client gone before its request ended takes the shadow with it; a complete one stays.
    if (upstream && !upstream.requestEnded) shadow?.abort();
    if (upstream && !upstream.finished) upstream.abort();
    const decision = filter.complete();
    if (d.accessLog) {
      d.log.info("access", {
        method: req.method,
        path: req.url,
        authority: req.headers.host,
        status: res.statusCode,
        details: res.writableFinished ? details : "downstream_remote_disconnect",
        cluster,
        mirror: verdict.route.mirrorCluster,
        durationMs: Math.round(performance.now() - started),
        decision: decision === undefined ? undefined : safeJson(decision),
      });
    }
    d.afterStream();
  });

  // The router's local replies go out through the encoder filters, the Wasm filter included
  // (FilterManager::sendLocalReplyViaFilterChain): the filter counts the 503/504 of its version.
  let replied = false;
  const reply = (r: EnvoyReply) => {
    details = r.details;
    replied = true;
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    const pairs: [string, string][] = [[":status", String(r.status)], ...localReplyHeaders(r)];
    const down = toDownstream(filter.responseHeaders(pairs, r.body.length === 0));
    if (r.body.length > 0) filter.responseBody(Buffer.from(r.body), true);
    res.writeHead(down.status, down.headers);
    res.end(r.body);
  };

  if (verdict.local) {
    // The filter's own reply (or fail-closed 503): the host already ran it through the filter.
    const local = verdict.local;
    details = local.details;
    req.resume();
    res.writeHead(local.status, localReplyHeaders(local).flat());
    res.end(local.body);
    return;
  }
  const target = d.clusters.get(cluster);
  if (!target) {
    req.resume();
    reply(CLUSTER_NOT_FOUND);
    return;
  }
  const mirror = verdict.route.mirrorCluster;
  const mirrorTarget = mirror === undefined ? undefined : d.clusters.get(mirror);
  if (mirrorTarget) shadow = d.shadows.send(mirrorTarget, verdict.pairs);

  const { method, path, headers } = toUpstream(verdict.pairs);
  const timeout = target.config.requestTimeoutMs;
  if (timeout > 0) headers.push(["x-envoy-expected-rq-timeout-ms", String(timeout)]);
  const forwardResponse = (ures: IncomingMessage, serviceTimeMs: number) => {
    const status = ures.statusCode ?? 502;
    const body = hasResponseBody(method, status, ures);
    const out = filter.responseHeaders(responseHeaderPairs(status, ures.rawHeaders), !body);
    const down = toDownstream(out);
    down.headers.push("x-envoy-upstream-service-time", String(serviceTimeMs));
    res.writeHead(down.status, down.headers);
    ures.on("data", (chunk: Buffer) => {
      filter.responseBody(chunk, false);
      if (!res.write(chunk)) {
        ures.pause();
        res.once("drain", () => ures.resume());
      }
    });
    ures.on("end", () => {
      if (body) filter.responseBody(EMPTY, true);
    });
  };
  upstream = new UpstreamCall(target, method, path, headers, d.stats, {
    onHeaders: (ures, serviceTimeMs) => {
      try {
        forwardResponse(ures, serviceTimeMs);
      } catch (e) {
        // e.g. a header value the filter set that HTTP/1 cannot carry: reset, as a codec error.
        d.log.error("cannot send the response downstream", { error: (e as Error).message });
        details = "downstream_codec_error";
        ures.resume();
        res.destroy();
      }
    },
    onFailure: reply,
    onBrokenResponse: () => {
      details = "upstream_reset_after_response_started";
      res.destroy();
    },
    onComplete: () => res.end(),
  });
  cluster = target.name;

  if (!withBody) {
    req.resume();
    upstream.end();
    shadow?.end();
    return;
  }
  const up = upstream;
  // After a local reply Envoy stops decoding: the rest of the body is read and dropped.
  req.on("data", (chunk: Buffer) => {
    if (replied) return;
    filter.requestBody(chunk, false);
    shadow?.write(chunk);
    if (!up.write(chunk)) {
      req.pause();
      up.onDrain(() => req.resume());
    }
  });
  req.on("end", () => {
    if (!replied) filter.requestBody(EMPTY, true);
    up.end();
    shadow?.end();
  });
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}
