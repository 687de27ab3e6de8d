/**
 * Strings of short ASCII names a guest passes again and again (header keys, property paths,
 * foreign function names), found by comparing the guest's bytes with the names read before
 * instead of decoding the bytes into a new string on every host call. Round-robin replacement.
 */
export class NameCache {
  private readonly names: string[] = [];
  private next = 0;

  /**
   * @param lower names are stored lower-cased and bytes compare ignoring ASCII case (header keys,
   *   as Http::LowerCaseString); otherwise they compare exactly.
   */
  constructor(
    private readonly lower: boolean,
    private readonly capacity = 32,
    private readonly maxLength = 64,
  ) {}

  /** The name in u8[ptr, ptr + len), or undefined when it is not a short ASCII name. */
  get(u8: Uint8Array, ptr: number, len: number): string | undefined {
    if (len > this.maxLength) return undefined;
    const names = this.names;
    const lower = this.lower;
    for (let n = 0; n < names.length; n++) {
      const s = names[n] as string;
      if (s.length !== len) continue;
      let i = 0;
      for (; i < len; i++) {
        let c = u8[ptr + i] as number;
        if (lower && c >= 0x41 && c <= 0x5a) c += 0x20;
        if (c !== s.charCodeAt(i)) break;
      }
      if (i === len) return s;
    }
    let s = "";
    for (let i = 0; i < len; i++) {
      let c = u8[ptr + i] as number;
      if (c >= 0x80) return undefined;
      if (lower && c >= 0x41 && c <= 0x5a) c += 0x20;
      s += String.fromCharCode(c);
    }
    if (names.length < this.capacity) names.push(s);
    else {
      names[this.next] = s;
      this.next = (this.next + 1) % this.capacity;
    }
    return s;
  }
}
