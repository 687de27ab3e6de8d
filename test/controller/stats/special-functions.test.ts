import { describe, expect, it } from "vitest";
import {
  lnBeta,
  lnGamma,
  normalCdf,
  normalQuantile,
  regularizedIncompleteBeta,
  studentTTwoSided,
} from "../../../controller/src/core/stats/index.js";
import { expectClose, rows } from "./reference.js";

// Reference values from test/fixtures/stats/reference.py: R's lgamma, lbeta, pnorm and qnorm;
// scipy.special.betainc and 2·scipy.stats.t.sf.

describe("lnGamma", () => {
  it("matches R's lgamma to 1e-14 relative from 1e-300 to 1e15", () => {
    for (const [x, expected] of rows("lnGamma")) expectClose(lnGamma(x), expected, 1e-14, 4e-15);
  });
  it("is exactly 0 at 1 and 2 and NaN outside its domain", () => {
    expect(lnGamma(1)).toBe(0);
    expect(lnGamma(2)).toBe(0);
    expect(lnGamma(0)).toBeNaN();
    expect(lnGamma(-1.5)).toBeNaN();
  });
});

describe("lnBeta", () => {
  it("matches R's lbeta to 1e-14 relative, also for arguments near 1e9", () => {
    for (const [a, b, expected] of rows("lnBeta"))
      expectClose(lnBeta(a, b), expected, 1e-14, 1e-15);
  });
  it("is symmetric and NaN for non-positive arguments", () => {
    expect(lnBeta(3.5, 1e6)).toBe(lnBeta(1e6, 3.5));
    expect(lnBeta(0, 1)).toBeNaN();
  });
});

describe("normalCdf", () => {
  it("matches R's pnorm to 1e-13 relative, deep into the lower tail", () => {
    for (const [z, expected] of rows("normalCdf")) expectClose(normalCdf(z), expected, 1e-13);
  });
  it("is 0 and 1 at the infinities", () => {
    expect(normalCdf(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(normalCdf(Number.POSITIVE_INFINITY)).toBe(1);
  });
});

describe("normalQuantile", () => {
  it("matches R's qnorm to 1e-13 relative from 1e-300 to 1 − 1e-6", () => {
    for (const [p, expected] of rows("normalQuantile")) {
      expectClose(normalQuantile(p), expected, 1e-13, 1e-15);
    }
  });
  it("is infinite at 0 and 1 and NaN outside [0, 1]", () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(1.5)).toBeNaN();
  });
});

describe("regularizedIncompleteBeta", () => {
  it("matches scipy.special.betainc to 1e-12 relative (1e-9 with shapes near 1e6)", () => {
    for (const [x, a, b, expected] of rows("regularizedIncompleteBeta")) {
      expectClose(regularizedIncompleteBeta(x, a, b), expected, a > 1e3 ? 1e-9 : 1e-12, 1e-15);
    }
  });
  it("is 0 at x = 0, 1 at x = 1 and NaN outside [0, 1]", () => {
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
    expect(regularizedIncompleteBeta(1.1, 2, 3)).toBeNaN();
  });
});

describe("studentTTwoSided", () => {
  it("matches 2·scipy.stats.t.sf(|t|, df) to 1e-11 relative", () => {
    for (const [t, df, expected] of rows("studentTTwoSided")) {
      expectClose(studentTTwoSided(t, df), expected, 1e-11);
    }
  });
});
