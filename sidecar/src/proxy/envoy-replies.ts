import type { ServerResponse } from "node:http";

/**
 * Local replies the way Envoy's router sends them (source/common/router/router.cc,
 * Filter::onUpstreamReset / onUpstreamTimeout, and Http::Utility::sendLocalReply): a text/plain
 * body, `server: envoy`, and the response code details Envoy logs as %RESPONSE_CODE_DETAILS%.
 * The texts are Envoy's, as users see them (e.g. knative-extensions/net-contour#237:
 * "503 ... server: envoy ... upstream connect error or disconnect/reset before headers. reset
 * reason: connection failure").
 */
export interface EnvoyReply {
  status: number;
  body: string;
  /** %RESPONSE_CODE_DETAILS% */
  details: string;
  /** %RESPONSE_FLAGS% */
  flags: string;
  headers?: [string, string][];
}

const RESET_PREFIX = "upstream connect error or disconnect/reset before headers. reset reason: ";

/** Why an upstream request ended without response headers (Http::StreamResetReason). */
export type ResetReason = "connection failure" | "connection timeout" | "connection termination";

export function upstreamReset(reason: ResetReason): EnvoyReply {
  const detail = reason.replaceAll(" ", "_");
  return {
    status: 503,
    body: `${RESET_PREFIX}${reason}`,
    details: `upstream_reset_before_response_started{${detail}}`,
    flags: reason === "connection termination" ? "UC" : "UF",
  };
}

/** The route timeout fired before the response started: 504, flag UT. */
export const UPSTREAM_TIMEOUT: EnvoyReply = {
  status: 504,
  body: "upstream request timeout",
  details: "upstream_response_timeout",
  flags: "UT",
};

/** The route names a cluster that does not exist: 503, body empty, flag NC. */
export const CLUSTER_NOT_FOUND: EnvoyReply = {
  status: 503,
  body: "",
  details: "cluster_not_found",
  flags: "NC",
};

/** The headers of a local reply: Envoy's content-length/content-type, date, `server: envoy`. */
export function localReplyHeaders(reply: EnvoyReply): [string, string][] {
  const headers: [string, string][] = reply.headers
    ? reply.headers.filter(([k]) => !k.startsWith(":") && k !== "date" && k !== "server")
    : [];
  if (!headers.some(([k]) => k === "content-length")) {
    headers.push(["content-length", String(Buffer.byteLength(reply.body))]);
    if (reply.body.length > 0) headers.push(["content-type", "text/plain"]);
  }
  headers.push(["date", new Date().toUTCString()]);
  headers.push(["server", "envoy"]);
  return headers;
}

/** Sends a local reply unless the response already started; returns whether it did. */
export function sendLocalReply(res: ServerResponse, reply: EnvoyReply): boolean {
  if (res.headersSent || res.destroyed) return false;
  res.writeHead(reply.status, localReplyHeaders(reply).flat());
  res.end(reply.body);
  return true;
}
