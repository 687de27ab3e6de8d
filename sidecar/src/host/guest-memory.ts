import { NameCache } from "./name-cache.js";

/** Buffer's slice methods (public on Buffer.prototype, missing from @types/node). */
declare module "node:buffer" {
  interface Buffer {
    latin1Slice(start: number, end: number): string;
    utf8Slice(start: number, end: number): string;
  }
}

/**
 * Views over the guest's linear memory. Memory growth detaches the old ArrayBuffer (its views
 * then have length 0), so every accessor checks the view's length and rebuilds the views from
 * `memory.buffer` only after a growth. Strings are copied out immediately.
 */
export class GuestMemory {
  private readonly keys = new NameCache(true);
  private readonly names = new NameCache(false);
  private buf: ArrayBuffer | undefined;
  private u8v: Uint8Array = new Uint8Array(0);
  private dv: DataView = new DataView(new ArrayBuffer(0));
  private nodeBuf: Buffer = Buffer.alloc(0);

  constructor(private readonly memory: WebAssembly.Memory) {}

  /**
   * Called whenever guest code may have run: at each host-call entry and after each guest call.
   * A growth detaches the old buffer, which `refresh` notices by itself, so nothing is needed.
   */
  invalidate(): void {}

  private refresh(): void {
    // A detached buffer's views have length 0; a live memory is never empty after start-up.
    if (this.u8v.length !== 0) return;
    const b = this.memory.buffer;
    if (b !== this.buf) {
      this.buf = b as ArrayBuffer;
      this.u8v = new Uint8Array(b);
      this.dv = new DataView(b);
      this.nodeBuf = Buffer.from(b);
    }
  }

  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  u8(): Uint8Array {
    this.refresh();
    return this.u8v;
  }

  /** The three views of the current buffer, for writers that need all of them. */
  views(): { u8: Uint8Array; node: Buffer; dv: DataView } {
    this.refresh();
    return { u8: this.u8v, node: this.nodeBuf, dv: this.dv };
  }

  /** True when [ptr, ptr+len) lies inside memory (Envoy answers InvalidMemoryAccess otherwise). */
  inBounds(ptr: number, len: number): boolean {
    this.refresh();
    return ptr >= 0 && len >= 0 && ptr + len <= this.u8v.length;
  }

  readU32(ptr: number): number {
    this.refresh();
    return this.dv.getUint32(ptr, true);
  }

  writeU32(ptr: number, v: number): void {
    this.refresh();
    this.dv.setUint32(ptr, v >>> 0, true);
  }

  writeU64(ptr: number, v: bigint): void {
    this.refresh();
    this.dv.setBigUint64(ptr, v, true);
  }

  readI64(ptr: number): bigint {
    this.refresh();
    return this.dv.getBigInt64(ptr, true);
  }

  /**
   * UTF-8 string copied out of guest memory. ASCII (nearly everything a filter passes) becomes a
   * one-byte string with Buffer's latin1 slice, cheaper than UTF-8 decoding.
   */
  readString(ptr: number, len: number): string {
    this.refresh();
    const u8 = this.u8v;
    const end = ptr + len;
    for (let i = ptr; i < end; i++) {
      if ((u8[i] as number) >= 0x80) return this.nodeBuf.utf8Slice(ptr, end);
    }
    return this.nodeBuf.latin1Slice(ptr, end);
  }

  /** A header key as Envoy sees it (Http::LowerCaseString): lower-cased. */
  readKey(ptr: number, len: number): string {
    this.refresh();
    return this.keys.get(this.u8v, ptr, len) ?? this.readString(ptr, len).toLowerCase();
  }

  /** A short name (property path, function name), like readString but reused across calls. */
  readName(ptr: number, len: number): string {
    this.refresh();
    return this.names.get(this.u8v, ptr, len) ?? this.readString(ptr, len);
  }

  /** A copy of guest bytes. */
  readBytes(ptr: number, len: number): Uint8Array {
    this.refresh();
    return this.u8v.slice(ptr, ptr + len);
  }

  writeBytes(ptr: number, bytes: Uint8Array): void {
    this.refresh();
    this.u8v.set(bytes, ptr);
  }

  /** Writes a string as UTF-8 at ptr (byteLen = its UTF-8 length). */
  writeString(ptr: number, s: string, byteLen: number): void {
    this.refresh();
    if (byteLen === s.length && byteLen <= 64) {
      const u8 = this.u8v;
      for (let i = 0; i < byteLen; i++) u8[ptr + i] = s.charCodeAt(i);
      return;
    }
    this.nodeBuf.write(s, ptr, byteLen, "utf8");
  }
}

/**
 * UTF-8 bytes of a string. Short ASCII strings (almost every header) are copied by hand:
 * TextEncoder.encode costs about a microsecond per call on Node 20.
 */
export function utf8(s: string): Uint8Array {
  const n = s.length;
  if (n <= 64) {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) return new Uint8Array(Buffer.from(s, "utf8"));
      out[i] = c;
    }
    return out;
  }
  return new Uint8Array(Buffer.from(s, "utf8"));
}

/** UTF-8 length of a string; a JS loop beats a native call for short ASCII strings. */
export function utf8Length(s: string): number {
  if (s.length > 64) return Buffer.byteLength(s, "utf8");
  for (let i = 0; i < s.length; i++)
    if (s.charCodeAt(i) > 0x7f) return Buffer.byteLength(s, "utf8");
  return s.length;
}

/** a followed by b, as a new array. */
export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
