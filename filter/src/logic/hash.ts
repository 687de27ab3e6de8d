// The one hash behind every sticky choice (split, buckets, mirror), documented in
// docs/plugin-config.md so that any tool can reproduce an assignment:
//   H(p1, ..., pn) = fmix64(FNV-1a-64(utf8(p1) 0xFF utf8(p2) 0xFF ... utf8(pn)))
// 0xFF never occurs in UTF-8, so the parts are unambiguous; fmix64 (MurmurHash3's finalizer)
// spreads FNV's weak low bits over the whole word. It works on module state, not objects, so the
// request path hashes without allocating.

const FNV_OFFSET: u64 = 0xcbf29ce484222325;
const FNV_PRIME: u64 = 0x100000001b3;
const SEPARATOR: u64 = 0xff;

let state: u64 = FNV_OFFSET;

function mixByte(b: u64): void {
  state = (state ^ b) * FNV_PRIME;
}

/** Starts a new hash. */
export function hashStart(): void {
  state = FNV_OFFSET;
}

/** Adds one part (its UTF-8 bytes, then the separator). */
export function hashPart(s: string): void {
  const ptr = changetype<usize>(s);
  const n = s.length;
  for (let i = 0; i < n; i++) {
    let c = <u32>load<u16>(ptr + ((<usize>i) << 1));
    if (c < 0x80) {
      mixByte(c);
    } else if (c < 0x800) {
      mixByte(0xc0 | (c >> 6));
      mixByte(0x80 | (c & 0x3f));
    } else {
      if ((c & 0xfc00) == 0xd800 && i + 1 < n) {
        const d = <u32>load<u16>(ptr + ((<usize>(i + 1)) << 1));
        if ((d & 0xfc00) == 0xdc00) {
          c = 0x10000 + (((c & 0x3ff) << 10) | (d & 0x3ff));
          mixByte(0xf0 | (c >> 18));
          mixByte(0x80 | ((c >> 12) & 0x3f));
          mixByte(0x80 | ((c >> 6) & 0x3f));
          mixByte(0x80 | (c & 0x3f));
          i++;
          continue;
        }
      }
      mixByte(0xe0 | (c >> 12));
      mixByte(0x80 | ((c >> 6) & 0x3f));
      mixByte(0x80 | (c & 0x3f));
    }
  }
  mixByte(SEPARATOR);
}

/** The state so far, to resume with `hashResume` (for several hashes sharing a prefix). */
export function hashSave(): u64 {
  return state;
}

export function hashResume(saved: u64): void {
  state = saved;
}

/** Finishes the hash. */
export function hashFinish(): u64 {
  let h = state;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccd;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53;
  h ^= h >> 33;
  return h;
}

/** A uniform number in (0, 1) from a hash: (top 53 bits + 0.5) / 2^53. */
export function toUnit(h: u64): f64 {
  return (<f64>(h >> 11) + 0.5) * 1.1102230246251565e-16;
}

/** A uniform integer in [0, n) from a hash: (top 32 bits * n) >> 32. */
export function toRange(h: u64, n: u32): u32 {
  return <u32>(((h >> 32) * <u64>n) >> 32);
}
