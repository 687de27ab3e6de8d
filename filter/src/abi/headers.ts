import { RequestView } from "../logic/request";
import {
  proxy_get_header_map_pairs,
  proxy_get_header_map_value,
  proxy_remove_header_map_value,
  proxy_replace_header_map_value,
} from "./env";
import {
  decodeUtf8,
  RETURN_PTR,
  RETURN_SIZE,
  resetReturn,
  returnedPtr,
  returnedSize,
} from "./memory";
import { Status } from "./types";

// Envoy serializes a header map as: u32 count, count × (u32 key size, u32 value size), then each
// key and value followed by a 0 byte (proxy-wasm spec 0.2.1, "header map pairs"). Envoy's limits
// of 1024 pairs and 1 MiB apply only to maps the guest sends (proxy_set_header_map_pairs), not to
// the maps it reads, so a map above 1024 pairs is possible; this view refuses it (malformed) to
// keep its index table fixed.
const MAX_PAIRS: u32 = 1024;
const COOKIE: string = "cookie";
// A key size no name can have: marks a pair as removed.
const HIDDEN: u32 = 0xffffffff;
// One 16-byte entry per pair, reused by every request (callbacks never interleave).
const PAIRS: usize = memory.data(<i32>MAX_PAIRS * 16);

/**
 * A read-only view over the serialized header map the host returned, decoding a value only when
 * asked. One view is reused for every request; `release` frees the host's block.
 */
export class HeaderView extends RequestView {
  private data: usize = 0;
  private size: usize = 0;
  private pairs: i32 = 0;
  /** True when the host's map could not be read or did not parse. */
  malformed: bool = false;

  /** Fetches the map `mapType` of the current stream; false when the host refused or it is malformed. */
  load(mapType: u32): bool {
    this.release();
    resetReturn();
    const status = proxy_get_header_map_pairs(mapType, RETURN_PTR, RETURN_SIZE);
    this.data = returnedPtr();
    this.size = returnedSize();
    if (status != Status.Ok) {
      this.malformed = true;
      return false;
    }
    // A request always has pseudo-headers: an empty map means the host could not hand it over,
    // so nothing in it can be trusted either way.
    this.malformed = !this.parse() || this.pairs == 0;
    if (this.malformed) this.pairs = 0;
    return !this.malformed;
  }

  // Indexes the pairs into PAIRS (absolute key pointer, key size, value pointer, value size),
  // checking every size against the block so no later read leaves it.
  private parse(): bool {
    const data = this.data;
    const size = this.size;
    if (data == 0 || size < 4) return size == 0;
    const count = <usize>load<u32>(data);
    if (count > <usize>MAX_PAIRS) return false;
    let cursor: usize = 4 + count * 8;
    if (cursor > size) return false;
    for (let i: usize = 0; i < count; i++) {
      const keySize = <usize>load<u32>(data + 4 + i * 8);
      const valueSize = <usize>load<u32>(data + 8 + i * 8);
      if (keySize > size || valueSize > size) return false;
      const valueStart = cursor + keySize + 1;
      const next = valueStart + valueSize + 1;
      if (next > size) return false;
      const entry = PAIRS + i * 16;
      store<u32>(entry, <u32>(data + cursor));
      store<u32>(entry, <u32>keySize, 4);
      store<u32>(entry, <u32>(data + valueStart), 8);
      store<u32>(entry, <u32>valueSize, 12);
      cursor = next;
    }
    this.pairs = <i32>count;
    return true;
  }

  /** Frees the host's block; the view is then empty. */
  release(): void {
    if (this.data != 0) heap.free(this.data);
    this.data = 0;
    this.size = 0;
    this.pairs = 0;
  }

  /** Number of pairs in the map. */
  get length(): i32 {
    return this.pairs;
  }

  /** Index of the first pair whose key equals `name` (ASCII, lower-case), or -1. */
  indexOf(name: string, from: i32 = 0): i32 {
    const nameLength = <usize>name.length;
    const namePtr = changetype<usize>(name);
    for (let i = from; i < this.pairs; i++) {
      const entry = PAIRS + ((<usize>i) << 4);
      if (<usize>load<u32>(entry, 4) != nameLength) continue;
      const keyPtr = <usize>load<u32>(entry);
      let j: usize = 0;
      while (j < nameLength && <u32>load<u8>(keyPtr + j) == <u32>load<u16>(namePtr + (j << 1))) j++;
      if (j == nameLength) return i;
    }
    return -1;
  }

  /** Decoded value of pair `index`. */
  valueAt(index: i32): string {
    if (index < 0 || index >= this.pairs) return "";
    const entry = PAIRS + ((<usize>index) << 4);
    return decodeUtf8(<usize>load<u32>(entry, 8), <usize>load<u32>(entry, 12));
  }

  /** Makes every pair named `name` invisible to later lookups (the host removed it). */
  hide(name: string): void {
    let i = this.indexOf(name);
    while (i >= 0) {
      store<u32>(PAIRS + ((<usize>i) << 4), HIDDEN, 4);
      i = this.indexOf(name, i + 1);
    }
  }

  /** True when the map holds `name`. */
  has(name: string): bool {
    return this.indexOf(name) >= 0;
  }

  header(name: string): string | null {
    const i = this.indexOf(name);
    return i < 0 ? null : this.valueAt(i);
  }

  cookie(name: string): string | null {
    let i = this.indexOf(COOKIE);
    while (i >= 0) {
      const found = this.findCookie(i, name, <usize>-1);
      if (found !== null) return found;
      i = this.indexOf(COOKIE, i + 1);
    }
    return null;
  }

  /**
   * Value of cookie `name` in the second and later `cookie` headers, or null; a value over
   * `limit` bytes reads as null (`takeOversized` tells).
   */
  laterCookie(name: string, limit: usize): string | null {
    let i = this.indexOf(COOKIE);
    if (i >= 0) i = this.indexOf(COOKIE, i + 1);
    while (i >= 0) {
      const found = this.findCookie(i, name, limit);
      if (found !== null) return found;
      i = this.indexOf(COOKIE, i + 1);
    }
    return null;
  }

  // Scans the raw bytes of cookie pair `index` for `name` without decoding the rest.
  private findCookie(index: i32, name: string, limit: usize): string | null {
    const entry = PAIRS + ((<usize>index) << 4);
    const start = <usize>load<u32>(entry, 8);
    return findCookie(start, start + <usize>load<u32>(entry, 12), name, limit);
  }
}

// Cookie values `findCookie` found but refused as longer than its limit, since `takeOversized`.
let oversized: i32 = 0;

/** How many cookie values were refused as too long since the last call (and restarts the count). */
export function takeOversized(): i32 {
  const n = oversized;
  oversized = 0;
  return n;
}

/**
 * Value of cookie `name` in the `cookie` header bytes [start, end) ("a=1; b=2"), or null; only
 * that value is decoded, and a value longer than `limit` bytes reads as null (counted for
 * `takeOversized`).
 */
export function findCookie(start: usize, end: usize, name: string, limit: usize): string | null {
  const nameLength = <usize>name.length;
  const namePtr = changetype<usize>(name);
  let p = start;
  while (p < end) {
    while (p < end && (load<u8>(p) == 0x20 || load<u8>(p) == 0x09)) p++;
    const pairStart = p;
    while (p < end && load<u8>(p) != 0x3b) p++;
    const pairEnd = p;
    p++;
    let eq = pairStart;
    while (eq < pairEnd && load<u8>(eq) != 0x3d) eq++;
    if (eq >= pairEnd || eq - pairStart != nameLength) continue;
    let equal = true;
    for (let j: usize = 0; j < nameLength; j++) {
      if (<u32>load<u8>(pairStart + j) != <u32>load<u16>(namePtr + (j << 1))) {
        equal = false;
        break;
      }
    }
    if (!equal) continue;
    let valueEnd = pairEnd;
    while (valueEnd > eq + 1 && (load<u8>(valueEnd - 1) == 0x20 || load<u8>(valueEnd - 1) == 0x09))
      valueEnd--;
    const size = valueEnd - eq - 1;
    if (size > limit) {
      oversized++;
      return null;
    }
    return decodeUtf8(eq + 1, size);
  }
  return null;
}

/** Sets header `name` of map `mapType` to `value` (UTF-8), replacing any previous values. */
export function replaceHeader(mapType: u32, name: ArrayBuffer, value: ArrayBuffer): u32 {
  return proxy_replace_header_map_value(
    mapType,
    changetype<usize>(name),
    <usize>name.byteLength,
    changetype<usize>(value),
    <usize>value.byteLength,
  );
}

/** Removes every value of header `name` of map `mapType` (Ok when absent). */
export function removeHeader(mapType: u32, name: ArrayBuffer): u32 {
  return proxy_remove_header_map_value(mapType, changetype<usize>(name), <usize>name.byteLength);
}

/** First value of header `name` of map `mapType`, or null when absent or refused. */
export function getHeader(mapType: u32, name: ArrayBuffer): string | null {
  resetReturn();
  const status = proxy_get_header_map_value(
    mapType,
    changetype<usize>(name),
    <usize>name.byteLength,
    RETURN_PTR,
    RETURN_SIZE,
  );
  const ptr = returnedPtr();
  if (status != Status.Ok) {
    if (ptr != 0) heap.free(ptr);
    return null;
  }
  if (ptr == 0) return "";
  const value = decodeUtf8(ptr, returnedSize());
  heap.free(ptr);
  return value;
}
