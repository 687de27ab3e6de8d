import { RequestView } from "../logic/request";
import {
  proxy_get_header_map_pairs,
  proxy_get_header_map_value,
  proxy_remove_header_map_value,
  proxy_replace_header_map_value,
} from "./env";
import { RETURN_PTR, RETURN_SIZE, resetReturn, returnedPtr, returnedSize } from "./memory";
import { Status } from "./types";

// Envoy serializes a header map as: u32 count, count × (u32 key size, u32 value size), then each
// key and value followed by a 0 byte (proxy-wasm spec 0.2.1, "header map pairs"). Envoy also
// hands back an empty map above 1024 pairs, so that is our bound too.
const MAX_PAIRS: u32 = 1024;
const COOKIE: string = "cookie";
// A key size no name can have: marks a pair as removed.
const HIDDEN: u32 = 0xffffffff;

/**
 * A read-only view over the serialized header map the host returned, decoding a value only when
 * asked. One view is reused for every request; `release` frees the host's block.
 */
export class HeaderView extends RequestView {
  private data: usize = 0;
  private size: usize = 0;
  private offsets: StaticArray<u32> = new StaticArray<u32>(<i32>MAX_PAIRS * 4);
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
    // A request always has pseudo-headers: an empty map means the host could not hand it over
    // (Envoy empties maps over 1 MiB or 1024 pairs), so nothing in it can be trusted either way.
    this.malformed = !this.parse() || this.pairs == 0;
    if (this.malformed) this.pairs = 0;
    return !this.malformed;
  }

  private parse(): bool {
    if (this.data == 0 || this.size < 4) return this.size == 0;
    const count = load<u32>(this.data);
    if (count > MAX_PAIRS) return false;
    const headerSize = 4 + <u64>count * 8;
    if (headerSize > <u64>this.size) return false;
    let cursor = <u64>headerSize;
    for (let i: u32 = 0; i < count; i++) {
      const keySize = load<u32>(this.data + 4 + <usize>i * 8);
      const valueSize = load<u32>(this.data + 8 + <usize>i * 8);
      const keyStart = cursor;
      const valueStart = keyStart + <u64>keySize + 1;
      cursor = valueStart + <u64>valueSize + 1;
      if (cursor > <u64>this.size) return false;
      unchecked((this.offsets[i * 4] = <u32>keyStart));
      unchecked((this.offsets[i * 4 + 1] = keySize));
      unchecked((this.offsets[i * 4 + 2] = <u32>valueStart));
      unchecked((this.offsets[i * 4 + 3] = valueSize));
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
    const nameLength = name.length;
    const namePtr = changetype<usize>(name);
    for (let i = from; i < this.pairs; i++) {
      const keySize = unchecked(this.offsets[i * 4 + 1]);
      if (<i32>keySize != nameLength) continue;
      const keyPtr = this.data + <usize>unchecked(this.offsets[i * 4]);
      let equal = true;
      for (let j = 0; j < nameLength; j++) {
        if (<u32>load<u8>(keyPtr + <usize>j) != <u32>load<u16>(namePtr + ((<usize>j) << 1))) {
          equal = false;
          break;
        }
      }
      if (equal) return i;
    }
    return -1;
  }

  /** Decoded value of pair `index`. */
  valueAt(index: i32): string {
    if (index < 0 || index >= this.pairs) return "";
    const start = this.data + <usize>unchecked(this.offsets[index * 4 + 2]);
    return String.UTF8.decodeUnsafe(start, <usize>unchecked(this.offsets[index * 4 + 3]));
  }

  /** Makes every pair named `name` invisible to later lookups (the host removed it). */
  hide(name: string): void {
    let i = this.indexOf(name);
    while (i >= 0) {
      unchecked((this.offsets[i * 4 + 1] = HIDDEN));
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
      const found = this.findCookie(i, name);
      if (found !== null) return found;
      i = this.indexOf(COOKIE, i + 1);
    }
    return null;
  }

  // Scans "a=1; b=2" in the raw bytes of pair `index` for `name` without decoding the rest.
  private findCookie(index: i32, name: string): string | null {
    const start = this.data + <usize>unchecked(this.offsets[index * 4 + 2]);
    const end = start + <usize>unchecked(this.offsets[index * 4 + 3]);
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
      while (
        valueEnd > eq + 1 &&
        (load<u8>(valueEnd - 1) == 0x20 || load<u8>(valueEnd - 1) == 0x09)
      )
        valueEnd--;
      return String.UTF8.decodeUnsafe(eq + 1, valueEnd - eq - 1);
    }
    return null;
  }
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
  const value = String.UTF8.decodeUnsafe(ptr, returnedSize());
  heap.free(ptr);
  return value;
}
