import { describe, expect, it } from "vitest";
import {
  asymptoticHalfWidth,
  DEFAULT_MIN_COUNT,
  MIN_RELATIVE_SD,
  meanConfidenceSequence,
  meanDifferenceAlwaysValidPValue,
  meanDifferenceConfidenceSequence,
  rateDifferenceConfidenceSequence,
  StatisticsInputError,
  welchTTest,
} from "../../../controller/src/core/stats/index.js";
import { expectClose, rows } from "./reference.js";

// Reference values from test/fixtures/stats/reference.py. Mean CS ends: scipy.optimize.brentq on
// Robbins' mixture martingale itself, sqrt(ρ/(V+ρ))·exp(S²/(2(V+ρ))) = 1/α with S = t(x̄ − μ),
// V = σ̂²t, not on the closed form we use. Differences: the asymptotic-CS formula of the digest
// (Waudby-Smith et al. 2021) written in Python; "split" rates from brentq ends at α/2.

const values = (xs: number[]) => ({
  count: xs.length,
  sum: xs.reduce((s, x) => s + x, 0),
  sumSquares: xs.reduce((s, x) => s + x * x, 0),
});

describe("meanConfidenceSequence", () => {
  it("has the ends brentq finds on the normal-mixture martingale, to 1e-10 relative", () => {
    for (const [count, sum, sumSquares, alpha, tuningN, estimate, lower, upper] of rows(
      "meanConfidenceSequence",
    )) {
      const cs = meanConfidenceSequence({ count, sum, sumSquares }, { alpha, tuningN });
      expectClose(cs.estimate, estimate, 1e-14);
      expectClose(cs.lower, lower, 1e-10, 1e-12);
      expectClose(cs.upper, upper, 1e-10, 1e-12);
    }
  });

  it("is infinite without data, and below the minimum count, so thin data never decides", () => {
    const none = meanConfidenceSequence({ count: 0, sum: 0, sumSquares: 0 }, { alpha: 0.05 });
    expect(none.estimate).toBeNaN();
    expect([none.lower, none.upper]).toEqual([-Infinity, Infinity]);
    const few = meanConfidenceSequence(values([1, 2, 3]), { alpha: 0.05 });
    expect(few.estimate).toBe(2);
    expect([few.lower, few.upper]).toEqual([-Infinity, Infinity]);
    expect(DEFAULT_MIN_COUNT).toBe(30);
  });

  it("does not collapse to a point when every observation is the same: σ is floored at 1% of the mean", () => {
    const cs = meanConfidenceSequence(values(new Array(40).fill(7.5)), { alpha: 0.05 });
    expect(cs.estimate).toBe(7.5);
    // the half-width is σ·h(t) with σ = MIN_RELATIVE_SD·7.5, as for any data with that σ
    const same = meanConfidenceSequence(
      { count: 40, sum: 300, sumSquares: 40 * 7.5 ** 2 + 39 * (MIN_RELATIVE_SD * 7.5) ** 2 },
      { alpha: 0.05 },
    );
    expect(cs.lower).toBeCloseTo(same.lower, 12);
    expect(cs.upper).toBeCloseTo(same.upper, 12);
    expect(cs.upper - cs.lower).toBeGreaterThan(0.2);
    // all zeros: no scale to judge by
    const zeros = meanConfidenceSequence(values(new Array(40).fill(0)), { alpha: 0.05 });
    expect([zeros.lower, zeros.upper]).toEqual([-Infinity, Infinity]);
  });

  it("rejects a sum of squares no real values can give, naming the field", () => {
    expect(() =>
      meanConfidenceSequence({ count: 30, sum: 3, sumSquares: 0 }, { alpha: 0.05 }),
    ).toThrow(StatisticsInputError);
    expect(() =>
      meanDifferenceConfidenceSequence(
        { count: 30, sum: 300, sumSquares: 3000 },
        { count: 30, sum: 303, sumSquares: 0 },
        { alpha: 0.05 },
      ),
    ).toThrow("b.sumSquares (0) is less than sum²/count");
    // rounding of running sums is tolerated: 30 × 0.1 summed one by one
    let sum = 0;
    let sumSquares = 0;
    for (let i = 0; i < 30; i++) {
      sum += 0.1;
      sumSquares += 0.01;
    }
    expect(() =>
      meanConfidenceSequence({ count: 30, sum, sumSquares }, { alpha: 0.05 }),
    ).not.toThrow();
  });

  it("leaves thin constant data undecided: 30 values of 10 against 30 of 10.1 give no difference with confidence", () => {
    const d = meanDifferenceConfidenceSequence(
      { count: 30, sum: 300, sumSquares: 3000 },
      { count: 30, sum: 303, sumSquares: 30 * 10.1 ** 2 },
      { alpha: 0.05 },
    );
    expect(d.estimate).toBeCloseTo(0.1, 12);
    expect(d.lower).toBeLessThan(0);
    expect(d.upper).toBeGreaterThan(0.2);
  });

  it("widens to the variance floor when the data show less spread", () => {
    const cs = meanConfidenceSequence(values(new Array(40).fill(7.5)), {
      alpha: 0.05,
      varianceFloor: 1,
    });
    expect(cs.upper - cs.lower).toBeGreaterThan(0.5);
  });

  it("stays finite and correct at a billion observations", () => {
    const n = 1e9;
    const cs = meanConfidenceSequence(
      { count: n, sum: 5 * n, sumSquares: 26 * n },
      { alpha: 0.05 },
    );
    expect(cs.estimate).toBe(5);
    expect(cs.upper - cs.lower).toBeGreaterThan(0);
    expect(cs.upper - cs.lower).toBeLessThan(1e-3);
  });

  it("names the field when the input is impossible", () => {
    expect(() =>
      meanConfidenceSequence({ count: -1, sum: 0, sumSquares: 0 }, { alpha: 0.05 }),
    ).toThrow("mean.count must be a finite number ≥ 0, got -1");
    expect(() =>
      meanConfidenceSequence({ count: 40, sum: 1, sumSquares: 1 }, { alpha: 0.05, tuningN: 0 }),
    ).toThrow("tuningN must be a finite number > 0, got 0");
  });
});

describe("meanDifferenceConfidenceSequence", () => {
  it("matches the digest's asymptotic-CS formula evaluated in Python, to 1e-12 relative", () => {
    for (const [a, b, alpha, tuningN, estimate, lower, upper] of rows(
      "meanDifferenceConfidenceSequence",
    )) {
      const toObs = ([count, sum, sumSquares]: number[]) => ({
        count: count as number,
        sum: sum as number,
        sumSquares: sumSquares as number,
      });
      const cs = meanDifferenceConfidenceSequence(toObs(a), toObs(b), { alpha, tuningN });
      expectClose(cs.estimate, estimate, 1e-12, 1e-14);
      expectClose(cs.lower, lower, 1e-12, 1e-14);
      expectClose(cs.upper, upper, 1e-12, 1e-14);
    }
  });

  it("reproduces GrowthBook's published sequential fixtures", () => {
    // gbstats tests/frequentist/test_tests.py, TestSequentialTTest: A = (sum 1396.87, sum of
    // squares 52377.9767, n 3000), B = (2422.7, 134698.29, 3461). GrowthBook reports the relative
    // uplift 0.50336 with standard error 0.3334122146400735 and, at N* = 1000, the interval
    // (-0.55844, 1.56516); its absolute standard error is 0.12983081254184736. For proportions
    // (1396/3000 vs 2422/3461, N* = 5000): 0.50386, SE 0.03386, interval (0.40098, 0.60675).
    const a = { count: 3000, sum: 1396.87, sumSquares: 52377.9767 };
    const b = { count: 3461, sum: 2422.7, sumSquares: 134698.29 };
    expectClose(asymptoticHalfWidth(6461, 0.3334122146400735 ** 2, 0.05, 1000), 1.0618, 0, 1e-5);
    expectClose(asymptoticHalfWidth(6461, 0.03386 ** 2, 0.05, 5000), 0.10289, 0, 2e-5);
    const w = welchTTest(a, b);
    expectClose(0.23437666666666668 / w.t, 0.12983081254184736, 1e-12);
    const cs = meanDifferenceConfidenceSequence(a, b, { alpha: 0.05, tuningN: 1000 });
    const half = asymptoticHalfWidth(6461, 0.12983081254184736 ** 2, 0.05, 1000);
    expectClose(cs.upper - cs.estimate, half, 1e-12);
  });

  it("is infinite while either arm is below the minimum count", () => {
    const big = values(Array.from({ length: 100 }, (_, i) => i % 7));
    const cs = meanDifferenceConfidenceSequence(big, values([1, 2]), { alpha: 0.05 });
    expect([cs.lower, cs.upper]).toEqual([-Infinity, Infinity]);
  });

  it("with method split contains the asymptotic interval's estimate and is wider", () => {
    const a = values(Array.from({ length: 500 }, (_, i) => (i * 37) % 11));
    const b = values(Array.from({ length: 500 }, (_, i) => ((i * 53) % 13) + 0.5));
    const asym = meanDifferenceConfidenceSequence(a, b, { alpha: 0.05 });
    const split = meanDifferenceConfidenceSequence(a, b, { alpha: 0.05, method: "split" });
    expect(split.estimate).toBeCloseTo(asym.estimate, 12);
    expect(split.upper - split.lower).toBeGreaterThan(asym.upper - asym.lower);
  });
});

describe("meanDifferenceAlwaysValidPValue", () => {
  it("matches GrowthBook's e-value formula evaluated in Python, to 1e-10 relative", () => {
    for (const [[na, sa, qa], [nb, sb, qb], alpha, tuningN, expected] of rows(
      "meanDifferenceAlwaysValidPValue",
    )) {
      const p = meanDifferenceAlwaysValidPValue(
        { count: na, sum: sa, sumSquares: qa },
        { count: nb, sum: sb, sumSquares: qb },
        { alpha, tuningN },
      );
      expectClose(p, expected, 1e-10);
    }
  });

  it("is ≤ α exactly when the difference CS at α excludes 0", () => {
    const a = { count: 400, sum: 400, sumSquares: 800 };
    for (const shift of [0, 40, 80, 100, 120, 140, 160, 200]) {
      const b = { count: 400, sum: 400 + shift, sumSquares: 800 + 3 * shift };
      const cs = meanDifferenceConfidenceSequence(a, b, { alpha: 0.05 });
      const p = meanDifferenceAlwaysValidPValue(a, b, { alpha: 0.05 });
      expect(p <= 0.05).toBe(cs.lower > 0 || cs.upper < 0);
    }
  });

  it("is 1 below the minimum count", () => {
    const few = { count: 10, sum: 10, sumSquares: 20 };
    expect(meanDifferenceAlwaysValidPValue(few, few, { alpha: 0.05 })).toBe(1);
  });
});

describe("rateDifferenceConfidenceSequence", () => {
  it("by default combines the arms' beta-binomial CSs at α/2 (brentq ends), to 1e-9", () => {
    for (const [sa, ta, sb, tb, alpha, estimate, lower, upper] of rows("rateDifferenceSplit")) {
      const cs = rateDifferenceConfidenceSequence(
        { successes: sa, trials: ta },
        { successes: sb, trials: tb },
        { alpha },
      );
      expectClose(cs.estimate, estimate, 1e-12, 1e-15);
      expectClose(cs.lower, lower, 1e-9, 1e-12);
      expectClose(cs.upper, upper, 1e-9, 1e-12);
    }
  });

  it("with method asymptotic matches the formula with Bernoulli variances, to 1e-12", () => {
    for (const [sa, ta, sb, tb, alpha, tuningN, estimate, lower, upper] of rows(
      "rateDifferenceAsymptotic",
    )) {
      const cs = rateDifferenceConfidenceSequence(
        { successes: sa, trials: ta },
        { successes: sb, trials: tb },
        { alpha, tuningN, method: "asymptotic" },
      );
      expectClose(cs.estimate, estimate, 1e-12, 1e-15);
      expectClose(cs.lower, lower, 1e-12, 1e-15);
      expectClose(cs.upper, upper, 1e-12, 1e-15);
    }
  });

  it("is [−1, 1] when an arm has no trials or (asymptotic) no variance yet", () => {
    const empty = rateDifferenceConfidenceSequence(
      { successes: 0, trials: 0 },
      { successes: 5, trials: 100 },
      { alpha: 0.05 },
    );
    expect([empty.lower, empty.upper]).toEqual([-1, 1]);
    const zeros = rateDifferenceConfidenceSequence(
      { successes: 0, trials: 100 },
      { successes: 0, trials: 100 },
      { alpha: 0.05, method: "asymptotic" },
    );
    expect([zeros.lower, zeros.upper]).toEqual([-1, 1]);
  });
});
