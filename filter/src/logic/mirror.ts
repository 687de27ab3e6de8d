import { Mirror } from "../config/types";
import { hashFinish, hashPart, hashStart, toRange } from "./hash";

/**
 * True when user `key` is among the mirrored `percent`: unit H(salt, key, "mirror") in basis
 * points below percent × 100. Independent of the split (another hash part), sticky per user.
 */
export function isMirrored(mirror: Mirror, salt: string, key: string): bool {
  if (mirror.percent <= 0) return false;
  hashStart();
  hashPart(salt);
  hashPart(key);
  hashPart("mirror");
  return <i32>toRange(hashFinish(), 10000) < mirror.percent * 100;
}
