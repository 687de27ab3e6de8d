import { Experiment } from "../config/types";

/** Where the host part of an `:authority` ends: before `:port` (`[v6]:port` keeps its brackets). */
export function hostEnd(authority: string): i32 {
  if (authority.startsWith("[")) {
    const close = authority.indexOf("]");
    return close > 0 ? close + 1 : authority.length;
  }
  const colon = authority.lastIndexOf(":");
  return colon >= 0 ? colon : authority.length;
}

// True when authority[at, at + pattern.length - from) equals pattern[from..], ignoring ASCII case
// of the authority (patterns are lower-case by validation). Compares in place: no allocation.
function equalsAt(authority: string, at: i32, pattern: string, from: i32): bool {
  const a = changetype<usize>(authority);
  const p = changetype<usize>(pattern);
  for (let i = from; i < pattern.length; i++) {
    let c = <u32>load<u16>(a + ((<usize>(at + i - from)) << 1));
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c != <u32>load<u16>(p + ((<usize>i) << 1))) return false;
  }
  return true;
}

/**
 * True when the experiment takes requests for the host `authority[0, end)` (no hosts = every
 * host): equal to a host, or ending in `.<domain>` for a `*.<domain>` host, case-insensitively.
 */
export function matchesHost(e: Experiment, authority: string, end: i32): bool {
  const hosts = e.hosts;
  if (hosts.length == 0) return true;
  for (let i = 0; i < hosts.length; i++) {
    const pattern = unchecked(hosts[i]);
    const n = pattern.length;
    if (n >= 2 && pattern.charCodeAt(0) == 0x2a) {
      // "*.domain": the host must be longer than ".domain" and end with it.
      const suffix = n - 1;
      if (end > suffix && equalsAt(authority, end - suffix, pattern, 1)) return true;
    } else if (end == n && equalsAt(authority, 0, pattern, 0)) {
      return true;
    }
  }
  return false;
}
