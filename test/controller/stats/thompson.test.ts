import { describe, expect, it } from "vitest";
import {
  type ArmObservation,
  createRng,
  probabilityBest,
  topTwoThompsonShares,
} from "../../../controller/src/core/stats/index.js";
import { expectAllClose, expectClose, rows } from "./reference.js";

// Reference probabilities from test/fixtures/stats/reference.py: P(arm i best) =
// ∫ f_i(x)·Π_{j≠i} F_j(x) dx by scipy.integrate.quad over Beta(1 + S, 1 + F) posteriors (rates)
// or Normal(x̄, s²/n) (means); top-two shares from those with Russo's formula. Monte Carlo with
// 40,000 draws has a standard error ≤ 0.0025, so we allow 0.01.

const DRAWS = 40_000;
const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
const rateArms = (arms: number[][]): ArmObservation[] =>
  arms.map(([successes, trials]) => ({
    kind: "rate",
    successes: successes as number,
    trials: trials as number,
  }));
const meanArms = (arms: number[][]): ArmObservation[] =>
  arms.map(([count, s, sumSquares]) => ({
    kind: "mean",
    count: count as number,
    sum: s as number,
    sumSquares: sumSquares as number,
  }));

describe("probabilityBest", () => {
  it("matches the integrated posterior probabilities of rate arms within Monte Carlo error", () => {
    for (const [arms, expected] of rows("probabilityBestRates")) {
      const p = probabilityBest(rateArms(arms), {
        direction: "high",
        draws: DRAWS,
        rng: createRng(11),
      });
      expectAllClose(p, expected, 0, 0.01);
    }
  });

  it("matches for mean arms in both directions", () => {
    for (const [arms, high, low] of rows("probabilityBestMeans")) {
      const opts = { draws: DRAWS, rng: createRng(12) };
      const ph = probabilityBest(meanArms(arms), { ...opts, direction: "high" });
      const pl = probabilityBest(meanArms(arms), { ...opts, direction: "low" });
      expectAllClose(ph, high, 0, 0.01);
      expectAllClose(pl, low, 0, 0.01);
    }
  });

  it("sums to 1 and favours the better arm", () => {
    const arms = rateArms([
      [50, 1000],
      [80, 1000],
    ]);
    const p = probabilityBest(arms, { direction: "high", draws: 5000, rng: createRng(1) });
    expectClose(sum(p), 1, 1e-12);
    expect(p[1]).toBeGreaterThan(0.95);
    const low = probabilityBest(arms, { direction: "low", draws: 5000, rng: createRng(1) });
    expect(low[0]).toBeGreaterThan(0.95);
  });

  it("is deterministic for a seed", () => {
    const arms = rateArms([
      [5, 100],
      [7, 100],
      [6, 100],
    ]);
    const run = (seed: number) =>
      probabilityBest(arms, { direction: "high", draws: 2000, rng: createRng(seed) });
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
  });

  it("splits ties evenly: identical zero-variance arms each get 1/k", () => {
    const constant = { kind: "mean", count: 50, sum: 100, sumSquares: 200 } as const;
    const p = probabilityBest([constant, constant, constant], {
      direction: "high",
      draws: 100,
      rng: createRng(1),
    });
    for (const pi of p) expectClose(pi, 1 / 3, 1e-12);
  });

  it("gives arms without data a vague posterior instead of failing", () => {
    const p = probabilityBest(
      [
        { kind: "mean", count: 0, sum: 0, sumSquares: 0 },
        { kind: "mean", count: 0, sum: 0, sumSquares: 0 },
      ],
      { direction: "high", draws: 4000, rng: createRng(2) },
    );
    expectClose(p[0] as number, 0.5, 0, 0.05);
    const r = probabilityBest(rateArms([[0, 0]]), {
      direction: "high",
      draws: 10,
      rng: createRng(2),
    });
    expect(r).toEqual([1]);
  });

  it("names the problem with its input", () => {
    const rng = createRng(1);
    expect(() => probabilityBest([], { direction: "high", draws: 10, rng })).toThrow(
      "arms must not be empty",
    );
    expect(() =>
      probabilityBest(rateArms([[5, 3]]), { direction: "high", draws: 10, rng }),
    ).toThrow("arms[0].successes must not exceed arms[0].trials");
    expect(() => probabilityBest(rateArms([[1, 3]]), { direction: "high", draws: 0, rng })).toThrow(
      "draws must be an integer ≥ 1, got 0",
    );
  });
});

describe("topTwoThompsonShares", () => {
  it("matches Russo's top-two allocation of the integrated probabilities", () => {
    for (const [arms, , expected] of rows("probabilityBestRates")) {
      const s = topTwoThompsonShares(rateArms(arms), {
        direction: "high",
        draws: DRAWS,
        rng: createRng(13),
      });
      expectAllClose(s, expected, 0, 0.01);
      expectClose(sum(s), 1, 1e-12);
    }
  });

  it("keeps sending half the traffic to the runner-up when one arm always leads", () => {
    const arms = rateArms([
      [10, 1000],
      [300, 1000],
      [100, 1000],
    ]);
    const s = topTwoThompsonShares(arms, { direction: "high", draws: 2000, rng: createRng(4) });
    expectClose(s[1] as number, 0.5, 1e-12);
    expectClose(s[2] as number, 0.5, 1e-12);
    expect(s[0]).toBe(0);
  });

  it("with beta = 1 is plain Thompson sampling", () => {
    const arms = rateArms([
      [50, 1000],
      [55, 1000],
    ]);
    const opts = { direction: "high" as const, draws: 3000 };
    expect(topTwoThompsonShares(arms, { ...opts, rng: createRng(9) }, 1)).toEqual(
      probabilityBest(arms, { ...opts, rng: createRng(9) }),
    );
  });
});
