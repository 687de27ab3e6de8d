import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { roundToPercent } from "../../../controller/src/core/weights-rounding.js";

describe("roundToPercent", () => {
  it("gives the missing points to the largest remainders", () => {
    // exact shares 33.33…, 33.33…, 33.33… → the first key takes the extra point on a tie
    expect(roundToPercent({ a: 1, b: 1, c: 1 })).toEqual({ a: 34, b: 33, c: 33 });
    // 33.33… / 66.66… → floors 33 + 66 = 99; the larger remainder (.67) gets the point
    expect(roundToPercent({ a: 1, b: 2 })).toEqual({ a: 33, b: 67 });
    // 12.5 / 37.5 / 50 → floors sum to 99; the two .5 remainders tie and the earlier key wins
    expect(roundToPercent({ a: 12.5, b: 37.5, c: 50 })).toEqual({ a: 13, b: 37, c: 50 });
  });

  it("keeps integers that already sum to 100", () => {
    expect(roundToPercent({ v1: 80, v2: 20 })).toEqual({ v1: 80, v2: 20 });
  });

  it("puts everything on the first key when all shares are zero", () => {
    expect(roundToPercent({ v1: 0, v2: 0 })).toEqual({ v1: 100, v2: 0 });
  });

  it("always returns non-negative integers summing to 100, each within one point of its exact share", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 1, maxLength: 8 }),
        (xs) => {
          const shares = Object.fromEntries(xs.map((x, i) => [`v${i}`, x]));
          const out = roundToPercent(shares);
          const values = Object.values(out);
          expect(values.reduce((a, b) => a + b, 0)).toBe(100);
          const total = xs.reduce((a, b) => a + b, 0);
          for (const [i, x] of xs.entries()) {
            const w = out[`v${i}`] ?? -1;
            expect(Number.isInteger(w) && w >= 0).toBe(true);
            if (total > 0) expect(Math.abs(w - (x / total) * 100)).toBeLessThan(1 + 1e-9);
          }
        },
      ),
    );
  });
});
