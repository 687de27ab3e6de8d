import { describe, expect, it } from "vitest";
import {
  meanObjective,
  quantileConfidenceSequence,
  quantileObjective,
  rateObjective,
  statusFromInterval,
} from "../../../controller/src/core/stats/index.js";
import { expectClose, rows } from "./reference.js";

// Quantile-objective references from test/fixtures/stats/reference.py: exceedances above the
// bounds around the limit counted with numpy, then the beta-binomial CS ends by brentq with the
// prior Beta(50(1 − q), 50q). Quantile CS: the accepted counts S of log M(q; S) < ln(1/α) by
// brentq in S, then the buckets that S could fall in.

describe("statusFromInterval", () => {
  it("passes inside the limits, fails beyond one, and is undecided across one", () => {
    const at = (lower: number, upper: number) => ({ estimate: (lower + upper) / 2, lower, upper });
    expect(statusFromInterval(at(0.001, 0.004), { upperLimit: 0.01 })).toBe("pass");
    expect(statusFromInterval(at(0.012, 0.02), { upperLimit: 0.01 })).toBe("fail");
    expect(statusFromInterval(at(0.005, 0.02), { upperLimit: 0.01 })).toBe("undecided");
    expect(statusFromInterval(at(0.03, 0.05), { lowerLimit: 0.02 })).toBe("pass");
    expect(statusFromInterval(at(0.01, 0.015), { lowerLimit: 0.02 })).toBe("fail");
    expect(statusFromInterval(at(3, 4), { lowerLimit: 2, upperLimit: 5 })).toBe("pass");
    expect(statusFromInterval(at(1, 4), { lowerLimit: 2, upperLimit: 5 })).toBe("undecided");
  });
});

describe("rateObjective", () => {
  it("passes an error rate well below its limit and fails one well above", () => {
    const ok = rateObjective(
      { successes: 40, trials: 20000 },
      { upperLimit: 0.01 },
      { alpha: 0.05 },
    );
    expect(ok.status).toBe("pass");
    expect(ok.interval.estimate).toBe(0.002);
    const bad = rateObjective(
      { successes: 60, trials: 2000 },
      { upperLimit: 0.01 },
      { alpha: 0.05 },
    );
    expect(bad.status).toBe("fail");
  });

  it("stays undecided with no requests, few requests, or a rate at the limit", () => {
    const limits = { upperLimit: 0.01 };
    expect(rateObjective({ successes: 0, trials: 0 }, limits, { alpha: 0.05 }).status).toBe(
      "undecided",
    );
    expect(rateObjective({ successes: 0, trials: 20 }, limits, { alpha: 0.05 }).status).toBe(
      "undecided",
    );
    expect(rateObjective({ successes: 100, trials: 10000 }, limits, { alpha: 0.05 }).status).toBe(
      "undecided",
    );
  });

  it("fails when every request is an error", () => {
    const all = rateObjective({ successes: 50, trials: 50 }, { upperLimit: 0.01 }, { alpha: 0.05 });
    expect(all.status).toBe("fail");
    expect(all.interval.upper).toBe(1);
  });

  it("decides a conversion floor with lowerLimit", () => {
    const r = rateObjective(
      { successes: 610, trials: 20000 },
      { lowerLimit: 0.02 },
      { alpha: 0.05 },
    );
    expect(r.status).toBe("pass");
  });

  it("needs at least one limit", () => {
    expect(() => rateObjective({ successes: 1, trials: 2 }, {}, { alpha: 0.05 })).toThrow(
      "an objective needs upperLimit or lowerLimit, got neither",
    );
  });
});

describe("meanObjective", () => {
  const obs = (count: number, mean: number, sd: number) => ({
    count,
    sum: count * mean,
    sumSquares: (count - 1) * sd * sd + count * mean * mean,
  });
  it("passes a mean latency well below its limit and fails one well above", () => {
    expect(meanObjective(obs(1000, 40, 10), { upperLimit: 50 }, { alpha: 0.05 }).status).toBe(
      "pass",
    );
    expect(meanObjective(obs(1000, 60, 10), { upperLimit: 50 }, { alpha: 0.05 }).status).toBe(
      "fail",
    );
  });
  it("stays undecided with no data or fewer than 30 values", () => {
    expect(meanObjective(obs(0, 0, 0), { upperLimit: 50 }, { alpha: 0.05 }).status).toBe(
      "undecided",
    );
    expect(meanObjective(obs(29, 10, 1), { upperLimit: 50 }, { alpha: 0.05 }).status).toBe(
      "undecided",
    );
  });
});

describe("quantileObjective", () => {
  it("matches the exceedance CS computed with SciPy, with the bounds around the limit", () => {
    for (const [boundsMs, counts, q, limitMs, alpha, status, estimate, lower, upper] of rows(
      "quantileObjective",
    )) {
      const r = quantileObjective({ boundsMs, counts }, q, limitMs, { alpha });
      expect(r.status).toBe(status);
      expectClose(r.exceedance.estimate, estimate, 1e-12);
      expectClose(r.exceedance.lower, lower, 1e-9, 1e-300);
      expectClose(r.exceedance.upper, upper, 1e-9);
    }
  });

  it("reads pass at the bound below and fail at the bound above a limit between bounds", () => {
    const h = { boundsMs: [5, 10, 25, 50, 100], counts: [5000, 3000, 1500, 480, 15, 5] };
    expect(quantileObjective(h, 0.99, 60, { alpha: 0.05 }).boundsUsed).toEqual({
      pass: 50,
      fail: 100,
    });
    expect(quantileObjective(h, 0.99, 50, { alpha: 0.05 }).boundsUsed).toEqual({
      pass: 50,
      fail: 50,
    });
  });

  it("cannot pass below the first bound nor fail above the last", () => {
    const slow = { boundsMs: [10, 20], counts: [0, 0, 1000] };
    const below = quantileObjective(slow, 0.99, 5, { alpha: 0.05 });
    expect(below.boundsUsed).toEqual({ pass: 0, fail: 10 });
    expect(below.status).toBe("fail");
    const fast = { boundsMs: [10, 20], counts: [1000, 0, 0] };
    const above = quantileObjective(fast, 0.99, 30, { alpha: 0.05 });
    expect(above.boundsUsed).toEqual({ pass: 20, fail: Infinity });
    expect(above.status).toBe("pass");
    expect(quantileObjective(slow, 0.99, 30, { alpha: 0.05 }).status).toBe("undecided");
  });

  it("is undecided on an empty histogram", () => {
    const r = quantileObjective({ boundsMs: [10, 50], counts: [0, 0, 0] }, 0.99, 50, {
      alpha: 0.05,
    });
    expect(r.status).toBe("undecided");
    expect([r.exceedance.lower, r.exceedance.upper]).toEqual([0, 1]);
  });

  it("names the field of a malformed histogram", () => {
    expect(() =>
      quantileObjective({ boundsMs: [10, 50], counts: [1, 2] }, 0.99, 50, { alpha: 0.05 }),
    ).toThrow("histogram.counts must have one more entry than histogram.boundsMs (3), got 2");
    expect(() =>
      quantileObjective({ boundsMs: [50, 10], counts: [1, 2, 3] }, 0.99, 50, { alpha: 0.05 }),
    ).toThrow("histogram.boundsMs must be finite and strictly increasing, got 10 at index 1");
    expect(() =>
      quantileObjective({ boundsMs: [10, 50], counts: [1, -2, 3] }, 0.99, 50, { alpha: 0.05 }),
    ).toThrow("histogram.counts[1] must be a finite number ≥ 0, got -2");
  });
});

describe("quantileConfidenceSequence", () => {
  it("keeps the buckets the count CS (ends by brentq in SciPy) cannot rule out", () => {
    for (const [boundsMs, counts, q, alpha, estimate, lower, upper] of rows(
      "quantileConfidenceSequence",
    )) {
      const cs = quantileConfidenceSequence({ boundsMs, counts }, q, { alpha });
      expect(cs).toEqual({ estimate, lower, upper });
    }
  });

  it("runs to Infinity when the quantile may sit in the overflow bucket", () => {
    const h = { boundsMs: [10, 20], counts: [90, 5, 5] };
    const cs = quantileConfidenceSequence(h, 0.99, { alpha: 0.05 });
    expect(cs.estimate).toBe(Infinity);
    expect(cs.upper).toBe(Infinity);
  });

  it("is [0, ∞) without data", () => {
    const cs = quantileConfidenceSequence({ boundsMs: [10], counts: [0, 0] }, 0.5, { alpha: 0.05 });
    expect(cs.estimate).toBeNaN();
    expect([cs.lower, cs.upper]).toEqual([0, Infinity]);
  });
});
