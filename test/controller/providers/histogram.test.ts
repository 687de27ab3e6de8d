import { describe, expect, it } from "vitest";
import { fromCumulative, latencyMean } from "../../../controller/src/providers/index.js";

describe("fromCumulative", () => {
  it("turns cumulative buckets into per-bucket counts plus the overflow above the top bound", () => {
    const h = fromCumulative([
      { le: 10, count: 2 },
      { le: Infinity, count: 9 },
      { le: 0.5, count: 0 },
      { le: 100, count: 7 },
    ]);
    expect(h).toEqual({ boundsMs: [0.5, 10, 100], counts: [0, 2, 5, 2] });
  });

  it("adds up buckets of the same bound, as sum by (le) would if the bound were spelt alike", () => {
    const h = fromCumulative([
      { le: 1, count: 2 },
      { le: 1, count: 3 },
      { le: Infinity, count: 9 },
    ]);
    expect(h).toEqual({ boundsMs: [1], counts: [5, 4] });
  });

  it("takes the overflow from the total when there is no +Inf bucket", () => {
    expect(fromCumulative([{ le: 5, count: 3 }], 4)).toEqual({ boundsMs: [5], counts: [3, 1] });
  });

  it("refuses buckets whose cumulative counts go down", () => {
    expect(() =>
      fromCumulative([
        { le: 5, count: 3 },
        { le: 10, count: 2 },
      ]),
    ).toThrow("bucket le=10 has 2, fewer than the bucket below it");
    expect(() =>
      fromCumulative([
        { le: 5, count: 3 },
        { le: Infinity, count: 2 },
      ]),
    ).toThrow("the total 2 is less than the top bucket's 3");
  });
});

describe("latencyMean", () => {
  it("keeps the exact count and sum and puts bucketed requests at their upper bound", () => {
    // Requests of 5, 8, 50 and 250 ms; sum 313. Squares: 2 × 10² + 1 × 100² = 10200 for the
    // bucketed ones; the overflow one at max(100, (313 − (0 + 0 + 10)) / 1) = 303 → 91809.
    // Total 102009 ≥ the real 5² + 8² + 50² + 250² = 65089.
    const m = latencyMean({ boundsMs: [10, 100], counts: [2, 1, 1] }, 313);
    expect(m).toEqual({ count: 4, sum: 313, sumSquares: 102009 });
  });

  it("never gives less than sum²/count, the least squares any data with that sum has", () => {
    // Four requests summing 40 in a (0, 10] bucket: 4 × 10² = 400 = 40² / 4.
    expect(latencyMean({ boundsMs: [10], counts: [4, 0] }, 40).sumSquares).toBe(400);
    // A sum that the bounds cannot explain (over the upper bounds) raises the floor: 80² / 4.
    expect(latencyMean({ boundsMs: [10], counts: [4, 0] }, 80).sumSquares).toBe(1600);
  });

  it("gives zeros for a histogram without requests", () => {
    expect(latencyMean({ boundsMs: [10], counts: [0, 0] }, 0)).toEqual({
      count: 0,
      sum: 0,
      sumSquares: 0,
    });
  });
});
