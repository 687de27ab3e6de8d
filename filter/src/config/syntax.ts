// Lexical rules for names in the configuration. They keep every name safe to embed in a metric
// name (no ';' or '='), in a header, and in the decision record. The JSON Schema repeats them as
// patterns (filter/plugin-config.schema.json).

/** Longest header value, cookie value or condition value accepted, in characters. */
export const MAX_VALUE_LENGTH: i32 = 1024;

function isAlnum(c: i32): bool {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** A Kubernetes label value: 1–63 of `A-Za-z0-9._-`, starting and ending alphanumeric. */
export function isName(s: string): bool {
  const n = s.length;
  if (n < 1 || n > 63) return false;
  if (!isAlnum(s.charCodeAt(0)) || !isAlnum(s.charCodeAt(n - 1))) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (!isAlnum(c) && c != 0x2e && c != 0x5f && c != 0x2d) return false;
  }
  return true;
}

// RFC 9110 token characters other than letters and digits.
function isTokenSymbol(c: i32): bool {
  return (
    c == 0x21 || // !
    c == 0x23 || // #
    c == 0x24 || // $
    c == 0x25 || // %
    c == 0x26 || // &
    c == 0x27 || // '
    c == 0x2a || // *
    c == 0x2b || // +
    c == 0x2d || // -
    c == 0x2e || // .
    c == 0x5e || // ^
    c == 0x5f || // _
    c == 0x60 || // `
    c == 0x7c || // |
    c == 0x7e // ~
  );
}

/** A lower-case HTTP header name (1–128 token characters); pseudo-headers are not allowed. */
export function isHeaderName(s: string): bool {
  const n = s.length;
  if (n < 1 || n > 128) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) return false;
    if (!isAlnum(c) && !isTokenSymbol(c)) return false;
  }
  return true;
}

/** A cookie name (1–128 token characters, any case). */
export function isCookieName(s: string): bool {
  const n = s.length;
  if (n < 1 || n > 128) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (!isAlnum(c) && !isTokenSymbol(c)) return false;
  }
  return true;
}

/** A lower-case host name or IPv4 address without port, optionally `*.` + a domain. */
export function isHostPattern(s: string): bool {
  const n = s.length;
  let start = 0;
  if (n >= 2 && s.charCodeAt(0) == 0x2a && s.charCodeAt(1) == 0x2e) start = 2;
  if (n - start < 1 || n > 253) return false;
  for (let i = start; i < n; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || c == 0x2d || c == 0x2e;
    if (!ok) return false;
  }
  const first = s.charCodeAt(start);
  const last = s.charCodeAt(n - 1);
  return first != 0x2e && first != 0x2d && last != 0x2e && last != 0x2d;
}

/** Value of one hexadecimal digit, or -1. */
export function hexDigit(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** 32 bytes from 64 hex digits, or null. */
export function parseSha256Hex(s: string): Uint8Array | null {
  if (s.length != 64) return null;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    const hi = hexDigit(s.charCodeAt(2 * i));
    const lo = hexDigit(s.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) return null;
    out[i] = <u8>((hi << 4) | lo);
  }
  return out;
}

/** Headers requests need, which the filter must never strip as routing, mirror or override header. */
export const RESERVED_HEADERS: string[] = [
  "authorization",
  "connection",
  "content-length",
  "content-type",
  "cookie",
  "host",
  "te",
  "transfer-encoding",
  "x-request-id",
];

/** Why a stripped header may not be one of RESERVED_HEADERS. */
export const RESERVED_PROBLEM: string =
  "must not be a header requests need (the filter strips it): " + RESERVED_HEADERS.join(", ");
