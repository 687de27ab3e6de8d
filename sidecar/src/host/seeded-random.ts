/**
 * A small seeded generator (SplitMix32 variant of mulberry32) behind WASI `random_get`, so the
 * guest's randomness is reproducible from `randomSeed`.
 */
export class SeededRandom {
  private state: number;

  constructor(seed = 1) {
    this.state = seed >>> 0;
  }

  nextU32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  fill(out: Uint8Array): void {
    for (let i = 0; i < out.length; i += 4) {
      let v = this.nextU32();
      for (let j = i; j < i + 4 && j < out.length; j++) {
        out[j] = v & 0xff;
        v >>>= 8;
      }
    }
  }
}
