import { describe, expect, it } from "vitest";
import {
  priorForLimit,
  rateAlwaysValidPValue,
  rateConfidenceSequence,
  rateLogMartingale,
  StatisticsInputError,
} from "../../../controller/src/core/stats/index.js";
import { expectClose, rows } from "./reference.js";

// Reference values from test/fixtures/stats/reference.py: log M_t(p) written out with
// R's lbeta, and the confidence-sequence ends found by scipy.optimize.brentq on
// log M_t(p) = ln(1/α) (rtol 1e-14), independently of our bisection.

describe("rateLogMartingale", () => {
  it("matches the beta-binomial mixture written out in Python with R's lbeta to 1e-12", () => {
    for (const [p, s, t, a, b, expected] of rows("rateLogMartingale")) {
      expectClose(rateLogMartingale(p, s, t, { a, b }), expected, 1e-12, 1e-12);
    }
  });
  it("starts at 0 (M_0 = 1) before any trial", () => {
    expect(rateLogMartingale(0.3, 0, 0, { a: 2, b: 5 })).toBe(0);
  });
});

describe("rateConfidenceSequence", () => {
  it("has the ends SciPy's brentq finds on the martingale, to 1e-9 relative", () => {
    for (const [s, t, alpha, a, b, estimate, lower, upper] of rows("rateConfidenceSequence")) {
      const cs = rateConfidenceSequence({ successes: s, trials: t }, { alpha, prior: { a, b } });
      if (estimate === null) expect(cs.estimate).toBeNaN();
      else expectClose(cs.estimate, estimate, 1e-15);
      expectClose(cs.lower, lower, 1e-9, 1e-300);
      expectClose(cs.upper, upper, 1e-9);
    }
  });

  it("never reports an end inside the exact set (bisection rounds outward)", () => {
    for (const [s, t, alpha, a, b, , lower, upper] of rows("rateConfidenceSequence")) {
      const cs = rateConfidenceSequence({ successes: s, trials: t }, { alpha, prior: { a, b } });
      expect(cs.lower).toBeLessThanOrEqual(lower);
      expect(cs.upper).toBeGreaterThanOrEqual(upper);
    }
  });

  it("accepts the shared observation shape with `count` in place of `trials`", () => {
    const viaCount = rateConfidenceSequence({ successes: 7, count: 400 }, { alpha: 0.05 });
    const viaTrials = rateConfidenceSequence({ successes: 7, trials: 400 }, { alpha: 0.05 });
    expect(viaCount).toEqual(viaTrials);
  });

  it("is [0, 1] with no estimate when there are no trials", () => {
    const cs = rateConfidenceSequence({ successes: 0, trials: 0 }, { alpha: 0.05 });
    expect(cs.estimate).toBeNaN();
    expect([cs.lower, cs.upper]).toEqual([0, 1]);
  });

  it("starts at 0 with no successes and ends at 1 when every trial succeeds", () => {
    expect(rateConfidenceSequence({ successes: 0, trials: 500 }, { alpha: 0.05 }).lower).toBe(0);
    expect(rateConfidenceSequence({ successes: 500, trials: 500 }, { alpha: 0.05 }).upper).toBe(1);
  });

  it("stays finite and narrow at a billion trials", () => {
    const cs = rateConfidenceSequence({ successes: 1e7, trials: 1e9 }, { alpha: 0.05 });
    expect(cs.upper - cs.lower).toBeGreaterThan(0);
    expect(cs.upper - cs.lower).toBeLessThan(1e-4);
  });

  it("names the field when the input is impossible", () => {
    expect(() => rateConfidenceSequence({ successes: 5, trials: 3 }, { alpha: 0.05 })).toThrow(
      "rate.successes (5) must not exceed rate.trials (3)",
    );
    expect(() => rateConfidenceSequence({ successes: -1, trials: 3 }, { alpha: 0.05 })).toThrow(
      StatisticsInputError,
    );
    expect(() => rateConfidenceSequence({ successes: 1, trials: 3 }, { alpha: 1 })).toThrow(
      "alpha must be a number between 0 and 1 (exclusive), got 1",
    );
  });
});

describe("priorForLimit", () => {
  it("centres a Beta prior of strength 50 on the limit, as in the digest", () => {
    expect(priorForLimit(0.01)).toEqual({ a: 0.5, b: 49.5 });
    expect(priorForLimit(0.2, 10)).toEqual({ a: 2, b: 8 });
  });
  it("rejects limits outside (0, 1)", () => {
    expect(() => priorForLimit(1)).toThrow("limit must be a number between 0 and 1");
  });
});

describe("rateAlwaysValidPValue", () => {
  it("is min(1, 1/M_t(p0)) as computed in Python with R's lbeta, to 1e-11 relative", () => {
    for (const [s, t, p0, a, b, expected] of rows("rateAlwaysValidPValue")) {
      expectClose(
        rateAlwaysValidPValue({ successes: s, trials: t }, p0, { a, b }),
        expected,
        1e-11,
      );
    }
  });
  it("is ≤ α exactly when p0 lies outside the confidence sequence at α", () => {
    const o = { successes: 19, trials: 1000 };
    const prior = priorForLimit(0.01);
    const cs = rateConfidenceSequence(o, { alpha: 0.05, prior });
    for (const p0 of [0.005, 0.009, 0.01, 0.011, 0.03, 0.04]) {
      const outside = p0 < cs.lower || p0 > cs.upper;
      expect(rateAlwaysValidPValue(o, p0, prior) <= 0.05).toBe(outside);
    }
  });
});
