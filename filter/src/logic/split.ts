import { BUCKETS, Experiment } from "../config/types";
import { hashFinish, hashPart, hashResume, hashSave, hashStart, toRange, toUnit } from "./hash";

/**
 * Index of the version user `key` gets, by weighted rendezvous hashing: each version v scores
 * w_v / -ln(u_v) with u_v = unit(H(salt, key, "version", v)), the highest score wins. Each score
 * is an independent exponential race, so version v wins with probability w_v / sum(w); raising
 * w_v only raises v's score (users only move to v), lowering it only loses v's users.
 */
export function rendezvous(e: Experiment, key: string): i32 {
  hashStart();
  hashPart(e.salt);
  hashPart(key);
  hashPart("version");
  const prefix = hashSave();
  let best = e.baseline;
  let bestScore: f64 = -1;
  const versions = e.versions;
  for (let i = 0; i < versions.length; i++) {
    const v = unchecked(versions[i]);
    if (v.weight <= 0) continue;
    hashResume(prefix);
    hashPart(v.name);
    const u = toUnit(hashFinish());
    const score = <f64>v.weight / -Math.log(u);
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  }
  return best;
}

/** Bucket of user `key` in 0..BUCKETS: H(salt, key, "bucket") scaled. */
export function bucketOf(salt: string, key: string): i32 {
  hashStart();
  hashPart(salt);
  hashPart(key);
  hashPart("bucket");
  return <i32>toRange(hashFinish(), <u32>BUCKETS);
}

/** Index of the version the assignment table gives user `key`. */
export function assigned(e: Experiment, table: Uint8Array, key: string): i32 {
  const b = bucketOf(e.salt, key);
  const index = <i32>unchecked(table[b]);
  return index < e.versions.length ? index : e.baseline;
}
