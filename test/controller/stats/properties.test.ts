import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createRng,
  meanConfidenceSequence,
  probabilityBest,
  quantileObjective,
  rateConfidenceSequence,
  rateDifferenceConfidenceSequence,
  rateLogMartingale,
  topTwoThompsonShares,
} from "../../../controller/src/core/stats/index.js";

// Properties every input must satisfy (fast-check, fixed seed so failures reproduce).
const params = { numRuns: 150, seed: 20261126 };

const rateCase = fc
  .tuple(fc.integer({ min: 0, max: 2_000_000 }), fc.double({ min: 0, max: 1, noNaN: true }))
  .map(([trials, share]) => ({ trials, successes: Math.floor(trials * share) }));
const alpha = fc.double({ min: 0.001, max: 0.5, noNaN: true });

describe("rate confidence sequence properties", () => {
  it("lies in [0, 1] around the estimate, with the martingale at the threshold at each inner end", () => {
    fc.assert(
      fc.property(rateCase, alpha, (o, a) => {
        const cs = rateConfidenceSequence(o, { alpha: a });
        expect(cs.lower).toBeGreaterThanOrEqual(0);
        expect(cs.upper).toBeLessThanOrEqual(1);
        if (o.trials === 0) return;
        expect(cs.lower).toBeLessThanOrEqual(cs.estimate);
        expect(cs.upper).toBeGreaterThanOrEqual(cs.estimate);
        const threshold = Math.log(1 / a);
        const prior = { a: 1, b: 1 };
        if (cs.lower > 0) {
          const m = rateLogMartingale(cs.lower, o.successes, o.trials, prior);
          expect(m).toBeGreaterThanOrEqual(threshold);
        }
        if (cs.upper < 1) {
          const m = rateLogMartingale(cs.upper, o.successes, o.trials, prior);
          expect(m).toBeGreaterThanOrEqual(threshold);
        }
      }),
      params,
    );
  });

  it("widens as α shrinks", () => {
    fc.assert(
      fc.property(rateCase, alpha, alpha, (o, a1, a2) => {
        const [small, large] = a1 < a2 ? [a1, a2] : [a2, a1];
        const wide = rateConfidenceSequence(o, { alpha: small });
        const narrow = rateConfidenceSequence(o, { alpha: large });
        expect(wide.lower).toBeLessThanOrEqual(narrow.lower);
        expect(wide.upper).toBeGreaterThanOrEqual(narrow.upper);
      }),
      params,
    );
  });

  it("split differences contain the difference of the estimates and stay in [−1, 1]", () => {
    fc.assert(
      fc.property(rateCase, rateCase, alpha, (a, b, al) => {
        const d = rateDifferenceConfidenceSequence(a, b, { alpha: al });
        expect(d.lower).toBeGreaterThanOrEqual(-1);
        expect(d.upper).toBeLessThanOrEqual(1);
        if (a.trials > 0 && b.trials > 0) {
          expect(d.lower).toBeLessThanOrEqual(d.estimate);
          expect(d.upper).toBeGreaterThanOrEqual(d.estimate);
        }
      }),
      params,
    );
  });
});

describe("mean confidence sequence properties", () => {
  it("is symmetric around the mean and widens as α shrinks", () => {
    const sample = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), {
      minLength: 30,
      maxLength: 200,
    });
    fc.assert(
      fc.property(sample, alpha, (xs, a) => {
        const o = {
          count: xs.length,
          sum: xs.reduce((s, x) => s + x, 0),
          sumSquares: xs.reduce((s, x) => s + x * x, 0),
        };
        const cs = meanConfidenceSequence(o, { alpha: a });
        const tighter = meanConfidenceSequence(o, { alpha: Math.min(0.9, a * 2) });
        const half = (cs.upper - cs.lower) / 2;
        expect(half).toBeGreaterThanOrEqual(0);
        expect(Math.abs(cs.estimate - (cs.lower + half))).toBeLessThanOrEqual(1e-9 * (1 + half));
        expect(tighter.upper - tighter.lower).toBeLessThanOrEqual(cs.upper - cs.lower);
      }),
      params,
    );
  });
});

describe("quantile objective properties", () => {
  const histogram = fc
    .array(fc.integer({ min: 0, max: 5000 }), { minLength: 6, maxLength: 6 })
    .map((counts) => ({ boundsMs: [5, 10, 25, 50, 100], counts }));
  const order = { fail: 0, undecided: 1, pass: 2 } as const;

  it("never gets worse as the latency limit rises", () => {
    fc.assert(
      fc.property(histogram, fc.integer({ min: 1, max: 150 }), (h, limit) => {
        const at = quantileObjective(h, 0.99, limit, { alpha: 0.05 }).status;
        const above = quantileObjective(h, 0.99, limit + 7, { alpha: 0.05 }).status;
        expect(order[above]).toBeGreaterThanOrEqual(order[at]);
      }),
      params,
    );
  });
});

describe("Thompson properties", () => {
  const arms = fc.array(
    fc
      .tuple(fc.integer({ min: 0, max: 10_000 }), fc.double({ min: 0, max: 1, noNaN: true }))
      .map(([trials, share]) => ({
        kind: "rate" as const,
        trials,
        successes: Math.floor(trials * share),
      })),
    { minLength: 1, maxLength: 5 },
  );

  it("gives probabilities and top-two shares in [0, 1] that sum to 1", () => {
    fc.assert(
      fc.property(arms, fc.integer(), (a, seed) => {
        const opts = { direction: "high" as const, draws: 200, rng: createRng(seed) };
        for (const p of [probabilityBest(a, opts), topTwoThompsonShares(a, opts)]) {
          expect(p).toHaveLength(a.length);
          for (const x of p) {
            expect(x).toBeGreaterThanOrEqual(0);
            expect(x).toBeLessThanOrEqual(1 + 1e-12);
          }
          expect(Math.abs(p.reduce((s, x) => s + x, 0) - 1)).toBeLessThan(1e-9);
        }
      }),
      { ...params, numRuns: 60 },
    );
  });
});
