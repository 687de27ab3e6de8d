import { Experiment } from "../config/types";

/** The host of an `:authority`, lower-cased, without port (`[v6]` kept with its brackets). */
export function hostOf(authority: string): string {
  let end = authority.length;
  if (authority.startsWith("[")) {
    const close = authority.indexOf("]");
    if (close > 0) end = close + 1;
  } else {
    const colon = authority.lastIndexOf(":");
    if (colon >= 0) end = colon;
  }
  return asciiLower(authority.substring(0, end));
}

// Host names are ASCII; String#toLowerCase would pull Unicode case tables into the module.
function asciiLower(s: string): string {
  let upper = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) upper = true;
  }
  if (!upper) return s;
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += String.fromCharCode(c >= 0x41 && c <= 0x5a ? c + 0x20 : c);
  }
  return out;
}

/** True when the experiment takes requests for `host` (no hosts = every host). */
export function matchesHost(e: Experiment, host: string): bool {
  const hosts = e.hosts;
  if (hosts.length == 0) return true;
  for (let i = 0; i < hosts.length; i++) {
    const pattern = unchecked(hosts[i]);
    if (pattern.startsWith("*.")) {
      const suffix = pattern.substring(1);
      if (host.length > suffix.length && host.endsWith(suffix)) return true;
    } else if (pattern == host) {
      return true;
    }
  }
  return false;
}
