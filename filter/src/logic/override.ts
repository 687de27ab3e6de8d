import { Experiment, Override } from "../config/types";
import { sha256 } from "./sha256";

/** Longest override header value examined; longer values are refused without hashing. */
export const MAX_OVERRIDE_LENGTH: i32 = 256;

/**
 * The version index an override header value `<version>:<token>` selects, or -1 when it does
 * not qualify: unknown or disallowed version, or a token whose SHA-256 is not configured.
 * Digests are compared in constant time.
 */
export function overrideVersion(e: Experiment, o: Override, value: string): i32 {
  if (value.length > MAX_OVERRIDE_LENGTH) return -1;
  const colon = value.indexOf(":");
  if (colon <= 0) return -1;
  const name = value.substring(0, colon);
  let index = -1;
  for (let i = 0; i < o.versions.length; i++) {
    const candidate = unchecked(o.versions[i]);
    if (candidate < e.versions.length && unchecked(e.versions[candidate]).name == name) {
      index = candidate;
    }
  }
  if (index < 0) return -1;
  const token = value.substring(colon + 1);
  if (token.length == 0) return -1;
  const digest = sha256(token);
  let matched = false;
  for (let i = 0; i < o.tokenHashes.length; i++) {
    const expected = unchecked(o.tokenHashes[i]);
    let difference: u32 = 0;
    for (let j = 0; j < 32; j++) difference |= <u32>(unchecked(expected[j]) ^ unchecked(digest[j]));
    matched = matched || difference == 0;
  }
  return matched ? index : -1;
}
