import type { IncomingMessage } from "node:http";

/**
 * Hop-by-hop headers Envoy's HTTP/1 codec and connection manager do not forward
 * (source/common/http/conn_manager_utility.cc mutateRequestHeaders, and RFC 9110 §7.6.1):
 * connection and what it names, keep-alive, proxy-connection, transfer-encoding, upgrade; `te`
 * except "trailers".
 */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
]);

function connectionTokens(raw: string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < raw.length; i += 2) {
    if ((raw[i] as string).toLowerCase() !== "connection") continue;
    for (const t of (raw[i + 1] as string).split(",")) {
      const n = t.trim().toLowerCase();
      if (n.length > 0) out.add(n);
    }
  }
  return out;
}

function forwardable(name: string, value: string, named: Set<string>): boolean {
  if (HOP_BY_HOP.has(name) || named.has(name)) return false;
  if (name === "te") return value.trim().toLowerCase() === "trailers";
  return true;
}

export interface RequestHeaderOptions {
  nextRequestId: () => string;
  /** The downstream peer's address, appended to x-forwarded-for (use_remote_address: true). */
  remoteAddress: string | undefined;
}

/**
 * The request headers as the filter sees them in Envoy: `:authority`, `:path`, `:method`,
 * `:scheme` first, lower-case names, hop-by-hop headers removed; then what the connection
 * manager adds before the filters run: `x-request-id` when absent (UUID v4), the peer appended to
 * `x-forwarded-for`, and `x-forwarded-proto`.
 */
export function requestHeaderPairs(req: IncomingMessage, opts: RequestHeaderOptions) {
  const raw = req.rawHeaders;
  const named = connectionTokens(raw);
  const pairs: [string, string][] = [
    [":authority", req.headers.host ?? ""],
    [":path", req.url ?? "/"],
    [":method", req.method ?? "GET"],
    [":scheme", "http"],
  ];
  let requestId: string | undefined;
  let xff: number | undefined;
  let proto = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    if (name === "host" || !forwardable(name, value, named)) continue;
    if (name === "x-request-id" && requestId === undefined) requestId = value;
    if (name === "x-forwarded-for") xff = pairs.length;
    if (name === "x-forwarded-proto") proto = true;
    pairs.push([name, value]);
  }
  if (requestId === undefined) {
    requestId = opts.nextRequestId();
    pairs.push(["x-request-id", requestId]);
  }
  if (opts.remoteAddress !== undefined) {
    const peer = opts.remoteAddress.replace(/^::ffff:/, "");
    if (xff === undefined) pairs.push(["x-forwarded-for", peer]);
    else {
      const p = pairs[xff] as [string, string];
      p[1] = `${p[1]},${peer}`;
    }
  }
  if (!proto) pairs.push(["x-forwarded-proto", "http"]);
  return { pairs, requestId };
}

/** Upstream response headers, lower-case, hop-by-hop removed, `:status` first. */
export function responseHeaderPairs(status: number, raw: string[]): [string, string][] {
  const named = connectionTokens(raw);
  const pairs: [string, string][] = [[":status", String(status)]];
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    if (forwardable(name, value, named)) pairs.push([name, value]);
  }
  return pairs;
}

/** Request pairs → method, path and the HTTP/1 headers sent upstream (Host from :authority). */
export function toUpstream(pairs: readonly [string, string][], shadow = false) {
  let method = "GET";
  let path = "/";
  let authority = "";
  const headers: [string, string][] = [];
  for (const [k, v] of pairs) {
    if (k === ":method") method = v;
    else if (k === ":path") path = v;
    else if (k === ":authority") authority = v;
    else if (!k.startsWith(":")) headers.push([k, v]);
  }
  headers.unshift(["host", shadow ? shadowAuthority(authority) : authority]);
  return { method, path, headers };
}

/** The first value of a header in pairs. */
export function headerValue(pairs: readonly [string, string][], name: string): string | undefined {
  for (const [k, v] of pairs) if (k === name) return v;
  return undefined;
}

/**
 * Envoy's shadow host: `-shadow` is appended to the authority (RequestMirrorPolicy docs: "the
 * host/authority header is altered such that -shadow is appended ... cluster1 becomes
 * cluster1-shadow"), on the host part before any port (shadowAppendedHost in
 * source/common/router/router.cc: `parts[0] + "-shadow:" + parts[1]`).
 */
export function shadowAuthority(authority: string): string {
  const m = /^(.*?)(:\d+)?$/.exec(authority);
  const host = m?.[1] ?? authority;
  const port = m?.[2] ?? "";
  return `${host}-shadow${port}`;
}
