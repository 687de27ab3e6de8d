import { RequestView } from "../logic/request";
import { proxy_get_header_map_value } from "./env";
import { findCookie, HeaderView } from "./headers";
import { RETURN_PTR, RETURN_SIZE, resetReturn, returnedPtr, returnedSize } from "./memory";
import { MapType, Status } from "./types";

const COOKIE = "cookie";
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
 * `cookie` header, and only when it lacks the cookie from the full map (HTTP/1 clients may send
 * several). One view serves every request: callbacks never interleave within a VM.
 */
export class RequestHeaders extends RequestView {
  /** Status of the last `read`. */
  status: u32 = Status.Ok;
  private hiddenRouting: string = "";
  private hiddenMirror: string = "";
  private keptNames: string[] = [];
  private keptValues: (string | null)[] = [];
  private all: HeaderView = new HeaderView();
  private allLoaded: bool = false;

  /** Starts a request whose routing and mirror headers read as absent. */
  begin(routingHeader: string, mirrorHeader: string): void {
    this.hiddenRouting = routingHeader;
    this.hiddenMirror = mirrorHeader;
    this.keptNames.length = 0;
    this.keptValues.length = 0;
  }

  /** Ends the request: frees what the host handed over. */
  end(): void {
    if (this.allLoaded) this.all.release();
    this.allLoaded = false;
  }

  /** First value of request header `name` from the host, or null; `status` tells why. */
  read(name: string): string | null {
    const status = lookup(MapType.RequestHeaders, name);
    this.status = status;
    if (status != Status.Ok) {
      freeLookup();
      return null;
    }
    const ptr = returnedPtr();
    if (ptr == 0) return "";
    const value = String.UTF8.decodeUnsafe(ptr, returnedSize());
    heap.free(ptr);
    return value;
  }

  /** True when the host holds request header `name` (a lookup, nothing decoded). */
  present(name: string): bool {
    const status = lookup(MapType.RequestHeaders, name);
    freeLookup();
    return status == Status.Ok;
  }

  /** Answers `value` for header `name` from now on (a header read before it was removed). */
  keep(name: string, value: string | null): void {
    this.keptNames.push(name);
    this.keptValues.push(value);
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
    const kept = this.keptNames;
    for (let i = 0; i < kept.length; i++) {
      if (unchecked(kept[i]) == name) return unchecked(this.keptValues[i]);
    }
    return this.read(name);
  }

  cookie(name: string): string | null {
    if (COOKIE == this.hiddenRouting || COOKIE == this.hiddenMirror) return null;
    const status = lookup(MapType.RequestHeaders, COOKIE);
    if (status != Status.Ok) {
      freeLookup();
      return null;
    }
    const ptr = returnedPtr();
    const found: string | null = ptr == 0 ? null : findCookie(ptr, ptr + returnedSize(), name);
    freeLookup();
    if (found !== null) return found;
    if (!this.readable()) return null;
    return this.all.laterCookie(name);
  }
}
