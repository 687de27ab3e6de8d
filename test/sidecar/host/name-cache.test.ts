import { describe, expect, it } from "vitest";
import { NameCache } from "../../../sidecar/src/host/name-cache.js";

/** `text` as Latin-1 bytes at offset 3 of a buffer, like a name in guest memory. */
function bytesOf(text: string): { u8: Uint8Array; ptr: number; len: number } {
  const u8 = new Uint8Array(text.length + 6);
  for (let i = 0; i < text.length; i++) u8[3 + i] = text.charCodeAt(i);
  return { u8, ptr: 3, len: text.length };
}

describe("name cache", () => {
  it("answers header keys lower-cased, the same as decoding them, also past its capacity", () => {
    const cache = new NameCache(true, 4);
    const names = Array.from({ length: 12 }, (_, i) => `X-Header-${i}`);
    for (let round = 0; round < 3; round++) {
      for (const name of names) {
        const b = bytesOf(name);
        expect(cache.get(b.u8, b.ptr, b.len)).toBe(name.toLowerCase());
      }
    }
  });

  it("keeps exact names exact and tells same-length names apart", () => {
    const cache = new NameCache(false);
    for (const name of ["Cohort.A", "cohort.a", "cohort.b", "Cohort.A"]) {
      const b = bytesOf(name);
      expect(cache.get(b.u8, b.ptr, b.len)).toBe(name);
    }
  });

  it("declines non-ASCII and over-long names, which the caller decodes as UTF-8", () => {
    const cache = new NameCache(true, 32, 8);
    const accented = new Uint8Array([0x63, 0xc3, 0xa9]);
    expect(cache.get(accented, 0, 3)).toBeUndefined();
    const long = bytesOf("x-a-very-long-header");
    expect(cache.get(long.u8, long.ptr, long.len)).toBeUndefined();
  });
});
