/**
 * Views over the guest's linear memory. Memory growth detaches the old ArrayBuffer, so every
 * accessor re-checks `memory.buffer` (cheap identity test) instead of holding views across calls
 * into the guest. Strings are copied out immediately.
 */
export class GuestMemory {
  private buf: ArrayBuffer | undefined;
  private u8v: Uint8Array = new Uint8Array(0);
  private dv: DataView = new DataView(new ArrayBuffer(0));
  private nodeBuf: Buffer = Buffer.alloc(0);

  constructor(private readonly memory: WebAssembly.Memory) {}

  private refresh(): void {
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

  /** True when [ptr, ptr+len) lies inside memory (Envoy answers InvalidMemoryAccess otherwise). */
  inBounds(ptr: number, len: number): boolean {
    return ptr >= 0 && len >= 0 && ptr + len <= this.memory.buffer.byteLength;
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

  /** UTF-8 string copied out of guest memory; short ASCII strings avoid the decoder. */
  readString(ptr: number, len: number): string {
    this.refresh();
    if (len <= 24) {
      const u8 = this.u8v;
      let s = "";
      for (let i = ptr; i < ptr + len; i++) {
        const c = u8[i] as number;
        if (c >= 0x80) return this.nodeBuf.toString("utf8", ptr, ptr + len);
        s += String.fromCharCode(c);
      }
      return s;
    }
    return this.nodeBuf.toString("utf8", ptr, ptr + len);
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

  /** Writes a string as UTF-8 at ptr; returns the number of bytes written. */
  writeString(ptr: number, s: string, byteLen: number): void {
    this.refresh();
    this.nodeBuf.write(s, ptr, byteLen, "utf8");
  }
}

const encoder = new TextEncoder();

/** UTF-8 bytes of a string (one shared encoder). */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** UTF-8 length of a string without encoding it when it is ASCII. */
export function utf8Length(s: string): number {
  return Buffer.byteLength(s, "utf8");
}
