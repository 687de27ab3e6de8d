import { describe, expect, it } from "vitest";
import { createRng, restoreRng } from "../../../controller/src/core/stats/index.js";
import { expectClose, rows } from "./reference.js";

// Bit-exact references from test/fixtures/stats/reference.py: a Python port of Blackman & Vigna's
// xoshiro128** reference C code (its known vector for the state 1, 2, 3, 4 starts 11520, 0,
// 5927040) and of our splitmix32 seeding.

const draw = (n: number, f: () => number) => Array.from({ length: n }, f);
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const variance = (xs: number[]) => {
  const m = mean(xs);
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
};

const words = (rng: { next(): number }, n: number) => draw(n, () => rng.next() * 2 ** 32);

describe("createRng", () => {
  it("is xoshiro128**, bit for bit, on the reference state", () => {
    const [state, expected] = rows("xoshiro128ss") as [number[], number[]];
    const rng = restoreRng({ s: state as [number, number, number, number], spare: null });
    expect(words(rng, expected.length)).toEqual(expected);
  });

  it("seeds through splitmix32, bit for bit", () => {
    for (const [seed, expected] of rows("createRngWords")) {
      expect(words(createRng(seed), expected.length)).toEqual(expected);
    }
  });

  it("gives the same sequence for the same seed and a different one for another seed", () => {
    const a = createRng(7);
    const b = createRng(7);
    const c = createRng(8);
    const xs = draw(5, () => a.next());
    expect(draw(5, () => b.next())).toEqual(xs);
    expect(draw(5, () => c.next())).not.toEqual(xs);
  });

  it("continues exactly from a copied state, including a pending normal", () => {
    const rng = createRng(123);
    rng.normal();
    const state = rng.state();
    const copy = restoreRng(JSON.parse(JSON.stringify(state)));
    const clone = rng.clone();
    const expected = draw(6, () => rng.normal());
    expect(draw(6, () => copy.normal())).toEqual(expected);
    expect(draw(6, () => clone.normal())).toEqual(expected);
  });

  it("draws uniforms in [0, 1) with mean ½ and variance 1/12", () => {
    const xs = draw(200_000, createRng(1).next);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    // standard errors: 0.00065 for the mean and 0.0002 for the variance
    expectClose(mean(xs), 0.5, 0, 0.003);
    expectClose(variance(xs), 1 / 12, 0, 0.001);
  });

  it("draws integers covering 0 … n − 1 evenly", () => {
    const rng = createRng(2);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[rng.int(6)]++;
    for (const c of counts) expectClose(c, 10_000, 0, 500);
  });

  it("draws normals, gammas and betas with the right mean and variance", () => {
    const rng = createRng(3);
    const z = draw(100_000, () => rng.normal());
    expectClose(mean(z), 0, 0, 0.015);
    expectClose(variance(z), 1, 0, 0.02);
    for (const shape of [0.3, 1, 4.5, 1e6]) {
      const g = draw(50_000, () => rng.gamma(shape));
      // Gamma(k): mean k, variance k; allow 5 standard errors of each (the relative standard
      // error of a sample variance is sqrt((2 + excess kurtosis 6/k) / n)).
      expectClose(mean(g), shape, 0, 5 * Math.sqrt(shape / 50_000));
      expectClose(variance(g), shape, 5 * Math.sqrt((2 + 6 / shape) / 50_000));
    }
    const [a, b] = [2, 5];
    const x = draw(50_000, () => rng.beta(a, b));
    expectClose(mean(x), a / (a + b), 0, 0.005);
    expectClose(variance(x), (a * b) / ((a + b) ** 2 * (a + b + 1)), 0.05);
  });

  it("rejects a non-finite seed and bad shapes with the field named", () => {
    expect(() => createRng(Number.NaN)).toThrow("seed must be a finite number, got NaN");
    expect(() => createRng(1).gamma(0)).toThrow("gamma shape must be a finite number > 0, got 0");
    expect(() => createRng(1).int(0)).toThrow("int range must be an integer ≥ 1, got 0");
  });
});
