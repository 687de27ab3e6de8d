import { describe, expect, it } from "vitest";
import {
  bonferroni,
  fixedHorizonSampleSize,
  twoProportionZTest,
  welchTTest,
} from "../../../controller/src/core/stats/index.js";
import { expectClose, rows } from "./reference.js";

// Reference values from test/fixtures/stats/reference.py: R's power.prop.test (n rounded up) and
// prop.test(correct = FALSE) (z = ±sqrt(X²)); the z-test sample size for means with
// scipy.stats.norm.ppf; Welch's test from scipy.stats.ttest_ind_from_stats(equal_var = False).

describe("fixedHorizonSampleSize", () => {
  it("matches R's power.prop.test for two proportions", () => {
    for (const [p1, p2, alpha, power, n] of rows("fixedHorizonProportions")) {
      expect(fixedHorizonSampleSize({ p1, p2, alpha, power })).toBe(n);
    }
  });
  it("matches the two-sample z-test size for means", () => {
    for (const [sd, delta, alpha, power, n] of rows("fixedHorizonMeans")) {
      expect(fixedHorizonSampleSize({ sd, delta, alpha, power })).toBe(n);
    }
  });
  it("rejects designs without a difference", () => {
    expect(() => fixedHorizonSampleSize({ p1: 0.1, p2: 0.1, alpha: 0.05, power: 0.8 })).toThrow(
      "p1 and p2 must differ",
    );
    expect(() => fixedHorizonSampleSize({ sd: 1, delta: 0, alpha: 0.05, power: 0.8 })).toThrow(
      "delta must be a finite non-zero number, got 0",
    );
  });
});

describe("twoProportionZTest", () => {
  it("matches R's prop.test without continuity correction", () => {
    for (const [sa, ta, sb, tb, z, p] of rows("twoProportionZTest")) {
      const r = twoProportionZTest({ successes: sa, trials: ta }, { successes: sb, trials: tb });
      expectClose(r.z, z, 1e-12);
      expectClose(r.pValue, p, 1e-10);
    }
  });
  it("has no evidence without trials or when every outcome is the same", () => {
    expect(twoProportionZTest({ successes: 0, trials: 0 }, { successes: 3, trials: 10 })).toEqual({
      z: 0,
      pValue: 1,
    });
    expect(
      twoProportionZTest({ successes: 10, trials: 10 }, { successes: 20, trials: 20 }),
    ).toEqual({ z: 0, pValue: 1 });
  });
});

describe("welchTTest", () => {
  it("matches scipy.stats.ttest_ind_from_stats(equal_var=False), B − A", () => {
    for (const [[na, sa, qa], [nb, sb, qb], t, df, p] of rows("welchTTest")) {
      const r = welchTTest(
        { count: na, sum: sa, sumSquares: qa },
        { count: nb, sum: sb, sumSquares: qb },
      );
      expectClose(r.t, t, 1e-10);
      expectClose(r.df, df, 1e-10);
      expectClose(r.pValue, p, 1e-9);
    }
  });
  it("has p = 1 with fewer than two values, and decides zero-variance arms by their means", () => {
    const one = { count: 1, sum: 3, sumSquares: 9 };
    const r = welchTTest(one, { count: 10, sum: 30, sumSquares: 100 });
    expect(r.pValue).toBe(1);
    expect(r.t).toBeNaN();
    const twos = { count: 5, sum: 10, sumSquares: 20 };
    const threes = { count: 5, sum: 15, sumSquares: 45 };
    expect(welchTTest(twos, threes)).toEqual({ t: Infinity, df: 8, pValue: 0 });
    expect(welchTTest(twos, twos)).toEqual({ t: 0, df: 8, pValue: 1 });
  });
});

describe("bonferroni", () => {
  it("divides alpha by the number of statements", () => {
    expect(bonferroni(0.05, 4)).toBe(0.0125);
    expect(bonferroni(0.05, 1)).toBe(0.05);
  });
  it("rejects a count of statements that is not a positive integer", () => {
    expect(() => bonferroni(0.05, 0)).toThrow("statements must be an integer ≥ 1, got 0");
  });
});
