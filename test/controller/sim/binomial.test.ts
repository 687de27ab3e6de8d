import { describe, expect, it } from "vitest";
import { createRng } from "../../../controller/src/core/stats/index.js";
import { binomial, multinomialInto } from "../../../controller/src/sim/index.js";

const DRAWS = 20_000;

function shareAtMost(n: number, p: number, k: number, seed: number): number {
  const rng = createRng(seed);
  let hits = 0;
  for (let i = 0; i < DRAWS; i++) if (binomial(rng, n, p) <= k) hits++;
  return hits / DRAWS;
}

describe("binomial draws", () => {
  it("follow the exact binomial distribution while the mean is small", () => {
    // /usr/bin/python3 -c "from scipy.stats import binom; print(binom.cdf(2, 50, 0.1))" → 0.1117287563463473
    // tolerance: 4 standard errors of a share from 20,000 draws (sqrt(0.11·0.89/20000) ≈ 0.0022)
    expect(Math.abs(shareAtMost(50, 0.1, 2, 1) - 0.1117287563463473)).toBeLessThan(0.009);
  });

  it("stay close to the binomial distribution in the normal-approximation regime", () => {
    // /usr/bin/python3 -c "from scipy.stats import binom; print(binom.cdf(40, 1000, 0.05), binom.cdf(55, 1000, 0.05))"
    // → 0.08063657325669057 0.7899239207192661; the rounded normal gives Φ((40.5 − 50)/6.892) = 0.0841,
    // so the tolerance is the approximation's own error (0.004) plus 4 standard errors (0.008)
    expect(Math.abs(shareAtMost(1000, 0.05, 40, 2) - 0.08063657325669057)).toBeLessThan(0.012);
    expect(Math.abs(shareAtMost(1000, 0.05, 55, 3) - 0.7899239207192661)).toBeLessThan(0.012);
  });

  it("are mirrored for rates above one half and exact at the ends", () => {
    const rng = createRng(4);
    let sum = 0;
    for (let i = 0; i < DRAWS; i++) sum += binomial(rng, 40, 0.95);
    // mean n·p = 38, standard error of the mean sqrt(40·0.95·0.05 / 20000) ≈ 0.0097
    expect(Math.abs(sum / DRAWS - 38)).toBeLessThan(0.05);
    expect(binomial(rng, 40, 0)).toBe(0);
    expect(binomial(rng, 40, 1)).toBe(40);
    expect(binomial(rng, 0, 0.5)).toBe(0);
  });

  it("split a multinomial so the categories add up to the total", () => {
    const rng = createRng(5);
    const out = [0, 0, 0, 0];
    const totals = [0, 0, 0, 0];
    for (let i = 0; i < 5000; i++) {
      multinomialInto(rng, 100, [0.5, 0.3, 0.15, 0.05], out);
      expect(out.reduce((a, b) => a + b, 0)).toBe(100);
      out.forEach((c, k) => {
        totals[k] = (totals[k] ?? 0) + c;
      });
    }
    // each share's standard error over 500,000 trials is below 0.0008
    expect(totals.map((t) => Number((t / 500_000).toFixed(2)))).toEqual([0.5, 0.3, 0.15, 0.05]);
  });
});
