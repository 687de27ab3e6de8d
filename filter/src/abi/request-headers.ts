import { RequestView } from "../logic/request";
import { proxy_get_header_map_value } from "./env";
import { findCookie, HeaderView, takeOversized } from "./headers";
import {
  decodeUtf8,
  RETURN_PTR,
  RETURN_SIZE,
  resetReturn,
  returnedPtr,
  returnedSize,
} from "./memory";
import { MapType, Status } from "./types";

const COOKIE = "cookie";

/**
 * Longest header or cookie value (bytes) a segment condition or sticky key reads; a longer one
 * reads as absent and is counted (`oversized`). Envoy admits headers up to 60 KiB by default,
 * and decoding such a value for every request would only produce garbage.
 */
export const MAX_VALUE_BYTES: usize = 4096;
// Header names are lower-case ASCII by validation; they are copied here instead of allocating
// their UTF-8 bytes for every lookup. Longer or non-ASCII names take String.UTF8.encode.
const NAME_CAPACITY: i32 = 256;
const NAME: usize = memory.data(NAME_CAPACITY);

/** Calls `proxy_get_header_map_value` for `name`; the returned block is in RETURN_PTR/SIZE. */
function lookup(mapType: u32, name: string): u32 {
  resetReturn();
  const n = name.length;
  const src = changetype<usize>(name);
  if (n <= NAME_CAPACITY) {
    let ascii = true;
    for (let i = 0; i < n; i++) {
      const c = <u32>load<u16>(src + ((<usize>i) << 1));
      if (c > 0x7f) {
        ascii = false;
        break;
      }
      store<u8>(NAME + <usize>i, <u8>c);
    }
    if (ascii) {
      return proxy_get_header_map_value(mapType, NAME, <usize>n, RETURN_PTR, RETURN_SIZE);
    }
  }
  const bytes = String.UTF8.encode(name);
  return proxy_get_header_map_value(
    mapType,
    changetype<usize>(bytes),
    <usize>bytes.byteLength,
    RETURN_PTR,
    RETURN_SIZE,
  );
}

/** Frees the block of the last lookup. */
function freeLookup(): void {
  const ptr = returnedPtr();
  if (ptr != 0) heap.free(ptr);
}

/**
 * The request headers as the decision logic sees them, read from the host one header at a time
 * (`proxy_get_header_map_value`, the first value, as Envoy answers it) instead of copying the whole
 * map. The routing and mirror headers read as absent (the filter strips them); the override
 * headers answer the value they had before they were stripped. Cookies come from the first
 * `cookie` header, searched in place, and only when it lacks the cookie from the full map (HTTP/1
 * clients may send several). Each header and cookie is decoded at most once per request (the
 * answers are remembered until `end`), and values over MAX_VALUE_BYTES read as absent. One view
 * serves every request: callbacks never interleave within a VM.
 */
export class RequestHeaders extends RequestView {
  /** Status of the last `read`. */
  status: u32 = Status.Ok;
  /** Values read as absent in this request because they were longer than MAX_VALUE_BYTES. */
  oversized: i32 = 0;
  private hiddenRouting: string = "";
  private hiddenMirror: string = "";
  // Answers of this request, by header name (kept override values included) and by cookie name.
  private headerNames: string[] = [];
  private headerValues: (string | null)[] = [];
  private cookieNames: string[] = [];
  private cookieValues: (string | null)[] = [];
  private all: HeaderView = new HeaderView();
  private allLoaded: bool = false;

  /** Starts a request whose routing and mirror headers read as absent. */
  begin(routingHeader: string, mirrorHeader: string): void {
    this.hiddenRouting = routingHeader;
    this.hiddenMirror = mirrorHeader;
    this.oversized = 0;
  }

  /** Ends the request: forgets its answers (garbage for the collector), frees the host's data. */
  end(): void {
    this.headerNames.length = 0;
    this.headerValues.length = 0;
    this.cookieNames.length = 0;
    this.cookieValues.length = 0;
    if (this.allLoaded) this.all.release();
    this.allLoaded = false;
  }

  /**
   * First value of request header `name` from the host, or null; `status` tells why. Values over
   * `limit` bytes read as null with status Ok (counted in `oversized`).
   */
  read(name: string, limit: usize = <usize>-1): string | null {
    const status = lookup(MapType.RequestHeaders, name);
    this.status = status;
    if (status != Status.Ok) {
      freeLookup();
      return null;
    }
    const ptr = returnedPtr();
    if (ptr == 0) return "";
    const size = returnedSize();
    if (size > limit) {
      heap.free(ptr);
      this.oversized++;
      return null;
    }
    const value = decodeUtf8(ptr, size);
    heap.free(ptr);
    return value;
  }

  /** True when the host holds request header `name` (a lookup, nothing decoded). */
  present(name: string): bool {
    const status = lookup(MapType.RequestHeaders, name);
    freeLookup();
    return status == Status.Ok;
  }

  /** Answers `value` for header `name` for the rest of the request (read before it was removed). */
  keep(name: string, value: string | null): void {
    this.headerNames.push(name);
    this.headerValues.push(value);
  }

  /**
   * True when the whole map could be read and is not empty: the check `read` cannot make (a
   * request always has pseudo-headers, so an empty map means the host could not hand it over).
   */
  readable(): bool {
    if (!this.allLoaded) {
      this.allLoaded = true;
      this.all.load(MapType.RequestHeaders);
    }
    return !this.all.malformed;
  }

  header(name: string): string | null {
    if (name == this.hiddenRouting || name == this.hiddenMirror) return null;
    const names = this.headerNames;
    for (let i = 0; i < names.length; i++) {
      if (unchecked(names[i]) == name) return unchecked(this.headerValues[i]);
    }
    const value = this.read(name, MAX_VALUE_BYTES);
    this.keep(name, value);
    return value;
  }

  cookie(name: string): string | null {
    if (COOKIE == this.hiddenRouting || COOKIE == this.hiddenMirror) return null;
    const names = this.cookieNames;
    for (let i = 0; i < names.length; i++) {
      if (unchecked(names[i]) == name) return unchecked(this.cookieValues[i]);
    }
    const value = this.findCookie(name);
    this.countOversized();
    names.push(name);
    this.cookieValues.push(value);
    return value;
  }

  // Adds the cookie values `findCookie` refused as too long to `oversized`; returns how many.
  private countOversized(): i32 {
    const n = takeOversized();
    this.oversized += n;
    return n;
  }

  // Searches the first `cookie` header in place, then the later ones in the full map.
  private findCookie(name: string): string | null {
    const status = lookup(MapType.RequestHeaders, COOKIE);
    if (status != Status.Ok) {
      freeLookup();
      return null;
    }
    const ptr = returnedPtr();
    const found: string | null =
      ptr == 0 ? null : findCookie(ptr, ptr + returnedSize(), name, MAX_VALUE_BYTES);
    freeLookup();
    // The first cookie of that name wins, also when it is too long (then it reads as absent).
    if (found !== null || this.countOversized() > 0) return found;
    if (!this.readable()) return null;
    return this.all.laterCookie(name, MAX_VALUE_BYTES);
  }
}
