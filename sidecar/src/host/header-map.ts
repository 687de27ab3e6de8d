/**
 * One header as the host keeps it: strings, with their UTF-8 lengths worked out only when the
 * guest asks for sizes or the whole map (most requests never need them). -1 = not known yet.
 */
export interface HeaderEntry {
  key: string;
  value: string;
  kl: number;
  vl: number;
}

/** UTF-8 length; a JS loop beats a native call for the short ASCII strings headers are. */
export function byteLength(s: string): number {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return Buffer.byteLength(s);
  return s.length;
}

function keyLength(e: HeaderEntry): number {
  if (e.kl < 0) e.kl = byteLength(e.key);
  return e.kl;
}

function valueLength(e: HeaderEntry): number {
  if (e.vl < 0) e.vl = byteLength(e.value);
  return e.vl;
}

/** Envoy's limits for pairs coming from the guest (proxy-wasm-cpp-host src/pairs_util.cc). */
export const PAIRS_MAX_BYTES = 1024 * 1024;
export const PAIRS_MAX_COUNT = 1024;

function entry(key: string, value: string): HeaderEntry {
  return { key, value, kl: -1, vl: -1 };
}

/**
 * An HTTP header map with Envoy's rules (source/extensions/common/wasm/context.cc
 * get/add/replace/removeHeaderMapValue): keys are lower-cased (Http::LowerCaseString), `get`
 * answers the first value, `add` appends a duplicate, `replace` is HeaderMapImpl::setCopy (remove
 * every value, then append), `remove` of a missing key is fine. Like HeaderMapImpl, pseudo-headers
 * (":authority", ...) are kept in front of the others.
 */
export class HeaderMap {
  private entries: HeaderEntry[] = [];

  constructor(pairs: Iterable<readonly [string, string]> = []) {
    for (const [k, v] of pairs) this.add(k, v);
  }

  get size(): number {
    return this.entries.length;
  }

  get(key: string): string | undefined {
    const k = key.toLowerCase();
    for (const e of this.entries) if (e.key === k) return e.value;
    return undefined;
  }

  getEntry(lowerKey: string): HeaderEntry | undefined {
    for (const e of this.entries) if (e.key === lowerKey) return e;
    return undefined;
  }

  add(key: string, value: string): void {
    const e = entry(key.toLowerCase(), value);
    const list = this.entries;
    if (e.key.charCodeAt(0) === 58 /* ':' */) {
      let i = 0;
      while (i < list.length && (list[i] as HeaderEntry).key.charCodeAt(0) === 58) i++;
      if (i === list.length) list.push(e);
      else list.splice(i, 0, e);
    } else {
      list.push(e);
    }
  }

  replace(key: string, value: string): void {
    this.remove(key);
    this.add(key, value);
  }

  remove(key: string): void {
    const k = key.toLowerCase();
    if (this.entries.some((e) => e.key === k))
      this.entries = this.entries.filter((e) => e.key !== k);
  }

  setAll(pairs: Iterable<readonly [string, string]>): void {
    this.entries = [];
    for (const [k, v] of pairs) this.add(k, v);
  }

  pairs(): [string, string][] {
    return this.entries.map((e) => [e.key, e.value]);
  }

  raw(): readonly HeaderEntry[] {
    return this.entries;
  }

  /** Envoy's HeaderMap::byteSize(): the sum of key and value lengths. */
  byteSize(): number {
    let n = 0;
    for (const e of this.entries) n += keyLength(e) + valueLength(e);
    return n;
  }

  /**
   * The strings of the "pairs" form as one text ("key\0value\0..."), with every entry's byte
   * lengths filled in: one native length check for the common all-ASCII map instead of a loop
   * per string.
   */
  pairsText(): { text: string; bytes: number } {
    let text = "";
    for (const e of this.entries) text += `${e.key}\0${e.value}\0`;
    const bytes = Buffer.byteLength(text, "utf8");
    if (bytes === text.length) {
      for (const e of this.entries) {
        e.kl = e.key.length;
        e.vl = e.value.length;
      }
    } else {
      for (const e of this.entries) {
        keyLength(e);
        valueLength(e);
      }
    }
    return { text, bytes };
  }
}

/**
 * Writes the "pairs" form: u32 count, count × (u32 key_len, u32 value_len), then each key and
 * value followed by a NUL (proxy-wasm-cpp-host PairsUtil::marshalPairs). Little-endian. The
 * strings go in with one native UTF-8 write of `pairsText()`: NULs are one byte, so the bytes are
 * the same as encoding each string alone. `node` and `dv` view the same memory.
 */
export function marshalPairs(
  entries: readonly HeaderEntry[],
  text: { text: string; bytes: number },
  node: Buffer,
  dv: DataView,
  at: number,
): void {
  dv.setUint32(at, entries.length, true);
  let p = at + 4;
  for (const e of entries) {
    dv.setUint32(p, e.kl, true);
    dv.setUint32(p + 4, e.vl, true);
    p += 8;
  }
  node.write(text.text, p, text.bytes, "utf8");
}

/**
 * Reads the "pairs" form the guest wrote. Like PairsUtil::toPairs, anything malformed, larger than
 * 1 MiB or with more than 1024 pairs yields an empty list.
 */
export function unmarshalPairs(bytes: Uint8Array): [string, string][] {
  if (bytes.length < 4 || bytes.length > PAIRS_MAX_BYTES) return [];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = dv.getUint32(0, true);
  if (n > PAIRS_MAX_COUNT) return [];
  let sizes = 4;
  let data = 4 + n * 8;
  if (data > bytes.length) return [];
  const out: [string, string][] = [];
  const dec = new TextDecoder();
  for (let i = 0; i < n; i++) {
    const kl = dv.getUint32(sizes, true);
    const vl = dv.getUint32(sizes + 4, true);
    sizes += 8;
    if (data + kl + 1 + vl + 1 > bytes.length) return [];
    const k = dec.decode(bytes.subarray(data, data + kl));
    data += kl;
    if (bytes[data] !== 0) return [];
    data++;
    const v = dec.decode(bytes.subarray(data, data + vl));
    data += vl;
    if (bytes[data] !== 0) return [];
    data++;
    out.push([k, v]);
  }
  return out;
}
