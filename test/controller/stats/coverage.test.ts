import { describe, expect, it } from "vitest";
import {
  createRng,
  meanConfidenceSequence,
  meanDifferenceConfidenceSequence,
  normalQuantile,
  type Rng,
  rateConfidenceSequence,
  rateDifferenceConfidenceSequence,
  rateObjective,
} from "../../../controller/src/core/stats/index.js";

// Seeded simulations of the promise a confidence sequence makes: over many runs, the share of
// runs in which it EVER misses the truth, looking after every batch, stays ≤ α (+ Monte Carlo
// slack: 200 runs give a standard error of 0.015 at 5%). The fixed-sample z-interval, looked at
// the same way, misses far more often (the peeking problem).

const RUNS = 200;
const LOOKS = 50;
const ALPHA = 0.05;
const SLACK = 0.03;
const Z = normalQuantile(1 - ALPHA / 2);

interface Sums {
  count: number;
  sum: number;
  sumSquares: number;
}

function addNormals(s: Sums, rng: Rng, n: number, mean: number, sd: number): void {
  for (let i = 0; i < n; i++) {
    const x = mean + sd * rng.normal();
    s.count += 1;
    s.sum += x;
    s.sumSquares += x * x;
  }
}

function binomial(rng: Rng, n: number, p: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (rng.next() < p) k++;
  return k;
}

describe("rate confidence sequence coverage", () => {
  it("misses the true rate at any of 50 looks in ≤ α of runs; a z-interval misses far more", () => {
    const rng = createRng(2024);
    const p = 0.05;
    let csMissed = 0;
    let zMissed = 0;
    for (let run = 0; run < RUNS; run++) {
      let s = 0;
      let t = 0;
      let cs = false;
      let z = false;
      for (let look = 0; look < LOOKS; look++) {
        s += binomial(rng, 40, p);
        t += 40;
        const ci = rateConfidenceSequence({ successes: s, trials: t }, { alpha: ALPHA });
        if (p < ci.lower || p > ci.upper) cs = true;
        const hat = s / t;
        const half = Z * Math.sqrt((hat * (1 - hat)) / t);
        if (Math.abs(hat - p) > half) z = true;
      }
      if (cs) csMissed++;
      if (z) zMissed++;
    }
    expect(csMissed / RUNS).toBeLessThanOrEqual(ALPHA + SLACK);
    expect(zMissed / RUNS).toBeGreaterThan(0.2);
  });

  it("wrongly decides an error rate sitting exactly at its 1% limit in ≤ α of runs", () => {
    const rng = createRng(7);
    let wrong = 0;
    for (let run = 0; run < RUNS; run++) {
      let s = 0;
      let t = 0;
      for (let look = 0; look < LOOKS; look++) {
        s += binomial(rng, 100, 0.01);
        t += 100;
        const r = rateObjective(
          { successes: s, trials: t },
          { upperLimit: 0.01 },
          { alpha: ALPHA },
        );
        if (r.status !== "undecided") {
          wrong++;
          break;
        }
      }
    }
    expect(wrong / RUNS).toBeLessThanOrEqual(ALPHA + SLACK);
  });

  it("the split difference of two equal rates excludes 0 in ≤ α of runs", () => {
    const rng = createRng(99);
    let missed = 0;
    for (let run = 0; run < RUNS; run++) {
      const a = { successes: 0, trials: 0 };
      const b = { successes: 0, trials: 0 };
      for (let look = 0; look < LOOKS; look++) {
        a.successes += binomial(rng, 40, 0.1);
        a.trials += 40;
        b.successes += binomial(rng, 40, 0.1);
        b.trials += 40;
        const d = rateDifferenceConfidenceSequence(a, b, { alpha: ALPHA });
        if (d.lower > 0 || d.upper < 0) {
          missed++;
          break;
        }
      }
    }
    expect(missed / RUNS).toBeLessThanOrEqual(ALPHA + SLACK);
  });
});

describe("asymptotic rate difference under frequent looks at low counts", () => {
  it("the pooled (asymptotic) difference of two equal 2% rates, looked at every 50 per arm, excludes 0 in ≤ α of runs", () => {
    // the reward's pooled CS at thin data: rare successes, the first look at 50 per arm
    const rng = createRng(2026);
    const runs = 400;
    const alpha = 0.01;
    let missed = 0;
    for (let run = 0; run < runs; run++) {
      const a = { successes: 0, trials: 0 };
      const b = { successes: 0, trials: 0 };
      for (let look = 0; look < 100; look++) {
        a.successes += binomial(rng, 50, 0.02);
        a.trials += 50;
        b.successes += binomial(rng, 50, 0.02);
        b.trials += 50;
        const d = rateDifferenceConfidenceSequence(a, b, { alpha, method: "asymptotic" });
        if (d.lower > 0 || d.upper < 0) {
          missed++;
          break;
        }
      }
    }
    // 400 runs: a standard error of 0.005 at 1%
    expect(missed / runs).toBeLessThanOrEqual(alpha + 0.01);
  });
});

describe("mean confidence sequence coverage", () => {
  it("misses a normal mean at any of 50 looks in ≤ α of runs; a z-interval misses far more", () => {
    const rng = createRng(31);
    let csMissed = 0;
    let zMissed = 0;
    for (let run = 0; run < RUNS; run++) {
      const s = { count: 0, sum: 0, sumSquares: 0 };
      let cs = false;
      let z = false;
      for (let look = 0; look < LOOKS; look++) {
        addNormals(s, rng, 40, 10, 3);
        const ci = meanConfidenceSequence(s, { alpha: ALPHA, tuningN: 500 });
        if (10 < ci.lower || 10 > ci.upper) cs = true;
        const mean = s.sum / s.count;
        const sd = Math.sqrt((s.sumSquares - s.sum * mean) / (s.count - 1));
        if (Math.abs(mean - 10) > (Z * sd) / Math.sqrt(s.count)) z = true;
      }
      if (cs) csMissed++;
      if (z) zMissed++;
    }
    expect(csMissed / RUNS).toBeLessThanOrEqual(ALPHA + SLACK);
    expect(zMissed / RUNS).toBeGreaterThan(0.2);
  });

  it("also covers a skewed, latency-like (exponential) mean in ≤ α of runs", () => {
    // Asymptotic: heavier tails need more data (lognormal with σ = 1.5 misses ~20% of runs in
    // the same setting; see docs/statistics.md), which is why latency objectives use quantiles.
    const rng = createRng(77);
    let missed = 0;
    for (let run = 0; run < RUNS; run++) {
      const s = { count: 0, sum: 0, sumSquares: 0 };
      for (let look = 0; look < LOOKS; look++) {
        for (let i = 0; i < 40; i++) {
          const x = -10 * Math.log(1 - rng.next());
          s.count += 1;
          s.sum += x;
          s.sumSquares += x * x;
        }
        const ci = meanConfidenceSequence(s, { alpha: ALPHA, tuningN: 1000 });
        if (10 < ci.lower || 10 > ci.upper) {
          missed++;
          break;
        }
      }
    }
    expect(missed / RUNS).toBeLessThanOrEqual(ALPHA + SLACK);
  });

  it("the asymptotic difference of two equal means excludes 0 in ≤ α of runs", () => {
    const rng = createRng(5);
    let missed = 0;
    for (let run = 0; run < RUNS; run++) {
      const a = { count: 0, sum: 0, sumSquares: 0 };
      const b = { count: 0, sum: 0, sumSquares: 0 };
      for (let look = 0; look < LOOKS; look++) {
        addNormals(a, rng, 40, 5, 2);
        addNormals(b, rng, 40, 5, 1);
        const d = meanDifferenceConfidenceSequence(a, b, { alpha: ALPHA, tuningN: 1000 });
        if (d.lower > 0 || d.upper < 0) {
          missed++;
          break;
        }
      }
    }
    expect(missed / RUNS).toBeLessThanOrEqual(ALPHA + SLACK);
  });
});
