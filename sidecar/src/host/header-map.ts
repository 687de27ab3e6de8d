/** Envoy's limits for pairs coming from the guest (proxy-wasm-cpp-host src/pairs_util.cc). */
export const PAIRS_MAX_BYTES = 1024 * 1024;
export const PAIRS_MAX_COUNT = 1024;

/** UTF-8 length; a JS loop beats a native call for the short ASCII strings headers are. */
export function byteLength(s: string): number {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return Buffer.byteLength(s);
  return s.length;
}

/** The strings of a map's "pairs" form and their UTF-8 lengths, ready to be written. */
export interface PairsText {
  count: number;
  /** "key\0value\0..." for every pair. */
  text: string;
  bytes: number;
  /** UTF-8 length of each key and value, alternating. */
  lengths: number[];
}

/**
 * An HTTP header map with Envoy's rules (source/extensions/common/wasm/context.cc
 * get/add/replace/removeHeaderMapValue): keys are lower-cased (Http::LowerCaseString), `get`
 * answers the first value, `add` appends a duplicate, `replace` is HeaderMapImpl::setCopy (remove
 * every value, then append), `remove` of a missing key is fine. Like HeaderMapImpl, pseudo-headers
 * (":authority", ...) are kept in front of the others. Kept as two parallel arrays: a request
 * builds one map, so allocation is what it costs.
 */
export class HeaderMap {
  private keys: string[] = [];
  private values: string[] = [];

  constructor(pairs: Iterable<readonly [string, string]> = []) {
    if (Array.isArray(pairs)) {
      // Index loop: no iterator or destructuring garbage for the common array input.
      const list = pairs as readonly (readonly [string, string])[];
      for (let i = 0; i < list.length; i++) {
        const p = list[i] as readonly [string, string];
        this.add(p[0], p[1]);
      }
    } else {
      for (const [k, v] of pairs) this.add(k, v);
    }
  }

  get size(): number {
    return this.keys.length;
  }

  get(key: string): string | undefined {
    return this.getLower(key.toLowerCase());
  }

  /** `get` for a key known to be lower-case. */
  getLower(k: string): string | undefined {
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] === k) return this.values[i];
    return undefined;
  }

  add(key: string, value: string): void {
    this.addLower(key.toLowerCase(), value);
  }

  /** `add` for a key known to be lower-case. */
  addLower(k: string, value: string): void {
    const keys = this.keys;
    if (k.charCodeAt(0) === 58 /* ':' */) {
      let i = 0;
      while (i < keys.length && (keys[i] as string).charCodeAt(0) === 58) i++;
      if (i < keys.length) {
        keys.splice(i, 0, k);
        this.values.splice(i, 0, value);
        return;
      }
    }
    keys.push(k);
    this.values.push(value);
  }

  replace(key: string, value: string): void {
    this.replaceLower(key.toLowerCase(), value);
  }

  /** `replace` for a key known to be lower-case. */
  replaceLower(k: string, value: string): void {
    this.removeLower(k);
    this.addLower(k, value);
  }

  remove(key: string): void {
    this.removeLower(key.toLowerCase());
  }

  /** `remove` for a key known to be lower-case; a missing key costs one scan. */
  removeLower(k: string): void {
    const keys = this.keys;
    const values = this.values;
    let w = keys.indexOf(k);
    if (w < 0) return;
    for (let r = w + 1; r < keys.length; r++) {
      if (keys[r] !== k) {
        keys[w] = keys[r] as string;
        values[w] = values[r] as string;
        w++;
      }
    }
    keys.length = w;
    values.length = w;
  }

  setAll(pairs: Iterable<readonly [string, string]>): void {
    this.keys = [];
    this.values = [];
    for (const [k, v] of pairs) this.add(k, v);
  }

  pairs(): [string, string][] {
    return this.keys.map((k, i) => [k, this.values[i] as string]);
  }

  /** Envoy's HeaderMap::byteSize(): the sum of key and value lengths. */
  byteSize(): number {
    let n = 0;
    for (let i = 0; i < this.keys.length; i++) {
      n += byteLength(this.keys[i] as string) + byteLength(this.values[i] as string);
    }
    return n;
  }

  /**
   * The strings of the "pairs" form as one text, with their byte lengths: one native length check
   * for the common all-ASCII map instead of a loop per string.
   */
  pairsText(): PairsText {
    const keys = this.keys;
    const values = this.values;
    let text = "";
    for (let i = 0; i < keys.length; i++) text += `${keys[i]}\0${values[i]}\0`;
    const bytes = Buffer.byteLength(text, "utf8");
    const ascii = bytes === text.length;
    const lengths: number[] = new Array(keys.length * 2);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      const v = values[i] as string;
      lengths[2 * i] = ascii ? k.length : byteLength(k);
      lengths[2 * i + 1] = ascii ? v.length : byteLength(v);
    }
    return { count: keys.length, text, bytes, lengths };
  }
}

/**
 * Writes the "pairs" form: u32 count, count × (u32 key_len, u32 value_len), then each key and
 * value followed by a NUL (proxy-wasm-cpp-host PairsUtil::marshalPairs). Little-endian. The
 * strings go in with one native UTF-8 write: NULs are one byte, so the bytes are the same as
 * encoding each string alone. `node` and `dv` view the same memory.
 */
export function marshalPairs(t: PairsText, node: Buffer, dv: DataView, at: number): void {
  dv.setUint32(at, t.count, true);
  let p = at + 4;
  const lengths = t.lengths;
  for (let i = 0; i < lengths.length; i++) {
    dv.setUint32(p, lengths[i] as number, true);
    p += 4;
  }
  node.write(t.text, p, t.bytes, "utf8");
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
