import { describe, expect, it } from "vitest";
import {
  createRng,
  type Interval,
  meanConfidenceSequence,
  meanDifferenceConfidenceSequence,
  meanObjective,
  probabilityBest,
  quantileConfidenceSequence,
  quantileObjective,
  rateAlwaysValidPValue,
  rateConfidenceSequence,
  rateDifferenceConfidenceSequence,
  rateObjective,
  twoProportionZTest,
  welchTTest,
} from "../../../controller/src/core/stats/index.js";

// Behaviour at the edges a running experiment meets: nothing yet, a billion requests, every
// value the same, every request failing. Thin data never decides; huge data never overflows.

const BIG = 1e9;
const finiteAndOrdered = (i: Interval) => {
  expect(Number.isFinite(i.estimate)).toBe(true);
  expect(Number.isFinite(i.lower) && Number.isFinite(i.upper)).toBe(true);
  expect(i.lower).toBeLessThanOrEqual(i.estimate);
  expect(i.estimate).toBeLessThanOrEqual(i.upper);
  expect(i.upper - i.lower).toBeGreaterThan(0);
};

describe("with no data yet", () => {
  const noRate = { successes: 0, trials: 0 };
  const noMean = { count: 0, sum: 0, sumSquares: 0 };
  const noLatency = { boundsMs: [10, 50], counts: [0, 0, 0] };

  it("every objective is undecided", () => {
    expect(rateObjective(noRate, { upperLimit: 0.01 }, { alpha: 0.05 }).status).toBe("undecided");
    expect(meanObjective(noMean, { upperLimit: 5 }, { alpha: 0.05 }).status).toBe("undecided");
    expect(quantileObjective(noLatency, 0.99, 50, { alpha: 0.05 }).status).toBe("undecided");
  });

  it("intervals are as wide as the quantity allows and estimates are NaN", () => {
    const cases: [Interval, number, number][] = [
      [rateConfidenceSequence(noRate, { alpha: 0.05 }), 0, 1],
      [meanConfidenceSequence(noMean, { alpha: 0.05 }), -Infinity, Infinity],
      [rateDifferenceConfidenceSequence(noRate, noRate, { alpha: 0.05 }), -1, 1],
      [meanDifferenceConfidenceSequence(noMean, noMean, { alpha: 0.05 }), -Infinity, Infinity],
      [quantileConfidenceSequence(noLatency, 0.5, { alpha: 0.05 }), 0, Infinity],
    ];
    for (const [interval, lower, upper] of cases) {
      expect(interval.estimate).toBeNaN();
      expect([interval.lower, interval.upper]).toEqual([lower, upper]);
    }
  });

  it("tests and p-values show no evidence", () => {
    expect(rateAlwaysValidPValue(noRate, 0.01)).toBe(1);
    expect(twoProportionZTest(noRate, noRate).pValue).toBe(1);
    expect(welchTTest(noMean, noMean).pValue).toBe(1);
    const p = probabilityBest(
      [
        { kind: "rate", ...noRate },
        { kind: "rate", ...noRate },
      ],
      { direction: "high", draws: 4000, rng: createRng(1) },
    );
    expect(Math.abs((p[0] as number) - 0.5)).toBeLessThan(0.05);
  });
});

describe("with a billion requests", () => {
  const a = { successes: 1e7, trials: BIG };
  const b = { successes: 1.01e7, trials: BIG };
  const ma = { count: BIG, sum: 5 * BIG, sumSquares: 26 * BIG };
  const mb = { count: BIG, sum: 5.001 * BIG, sumSquares: 26.01 * BIG };

  it("every interval is finite, ordered and non-degenerate", () => {
    finiteAndOrdered(rateConfidenceSequence(a, { alpha: 0.05 }));
    finiteAndOrdered(meanConfidenceSequence(ma, { alpha: 0.05 }));
    finiteAndOrdered(rateDifferenceConfidenceSequence(a, b, { alpha: 0.05 }));
    finiteAndOrdered(rateDifferenceConfidenceSequence(a, b, { alpha: 0.05, method: "asymptotic" }));
    finiteAndOrdered(meanDifferenceConfidenceSequence(ma, mb, { alpha: 0.05 }));
    const h = { boundsMs: [10, 50], counts: [9.9e8, 9.5e6, 5e5] };
    finiteAndOrdered(quantileObjective(h, 0.99, 50, { alpha: 0.05 }).exceedance);
  });

  it("tiny true differences become certain", () => {
    expect(rateDifferenceConfidenceSequence(a, b, { alpha: 0.05 }).lower).toBeGreaterThan(0);
    expect(meanDifferenceConfidenceSequence(ma, mb, { alpha: 0.05 }).lower).toBeGreaterThan(0);
    expect(rateAlwaysValidPValue(a, 0.0101)).toBeLessThan(1e-100);
    expect(twoProportionZTest(a, b).pValue).toBeLessThan(1e-100);
    const w = welchTTest(ma, mb);
    expect(Number.isFinite(w.t) && Number.isFinite(w.df) && w.pValue < 1e-10).toBe(true);
  });
});

describe("when every request fails or every value is the same", () => {
  it("an all-error version fails its error-rate objective within a few requests", () => {
    const r = rateObjective({ successes: 10, trials: 10 }, { upperLimit: 0.01 }, { alpha: 0.05 });
    expect(r.status).toBe("fail");
    expect(r.interval.upper).toBe(1);
  });

  it("an error-free version passes only after enough requests", () => {
    const few = rateObjective({ successes: 0, trials: 50 }, { upperLimit: 0.01 }, { alpha: 0.05 });
    const many = rateObjective(
      { successes: 0, trials: 1000 },
      { upperLimit: 0.01 },
      { alpha: 0.05 },
    );
    expect(few.status).toBe("undecided");
    expect(many.status).toBe("pass");
    expect(many.interval.lower).toBe(0);
  });

  it("identical constant arms have a difference interval around 0 of non-zero width and no test evidence", () => {
    const constant = { count: 100, sum: 300, sumSquares: 900 };
    const d = meanDifferenceConfidenceSequence(constant, constant, { alpha: 0.05 });
    expect(d.estimate).toBe(0);
    expect(d.lower).toBeLessThan(0);
    expect(d.upper).toBeGreaterThan(0);
    expect(d.upper).toBeCloseTo(-d.lower, 12);
    expect(welchTTest(constant, constant).pValue).toBe(1);
  });
});
