import { describe, expect, it } from "vitest";
import { analyze } from "../../../controller/src/core/analysis.js";
import { analysisToJson } from "../../../controller/src/core/analysis-json.js";
import { splitAlpha } from "../../../controller/src/core/assess-alpha.js";
import { observations, spec } from "./scenario.js";

const sum = (w: Record<string, number>) => Object.values(w).reduce((a, b) => a + b, 0);

describe("the α split", () => {
  it("counts versions × objectives plus every pair of versions compared on the reward", () => {
    // AB: 2 versions × 2 objectives + 1 pair
    expect(splitAlpha(spec("AB"))).toEqual({ alpha: 0.05, statements: 5, alphaPerStatement: 0.01 });
    // ABN with 4 versions: 4 × 2 + 6 pairs
    expect(splitAlpha(spec("ABN")).statements).toBe(14);
    // Conformance: 1 version × 2 objectives, no reward
    expect(splitAlpha(spec("Conformance")).statements).toBe(2);
  });
});

/** An A/B whose only criterion is a mean reward, `basket`, higher is better. */
const basketReward = () =>
  spec("AB", {
    metrics: [{ name: "basket", type: "mean", provider: "prometheus" }],
    criteria: {
      confidence: 0.95,
      objectives: [],
      reward: { metric: "basket", preferredDirection: "High" },
    },
  });

describe("analyze", () => {
  it("rejects current weights from the observations that are not a split of the experiment's versions", () => {
    const counts = {
      v1: { requests: 1000, errorRate: 0.002, slow: 0.001, conversions: 30 },
      v2: { requests: 1000, errorRate: 0.002, slow: 0.001, conversions: 30 },
    };
    expect(() => analyze(spec("AB"), observations(counts, 120, { v1: 20, v2: 20 }))).toThrow(
      "currentWeights: the weights sum to 40, expected 100",
    );
    expect(() =>
      analyze(spec("AB"), observations(counts, 120, { v1: 50, v2: 40, v9: 10 })),
    ).toThrow("currentWeights.v9: unknown version");
    expect(() => analyze(spec("AB"), observations(counts, 120, { v1: 60, v2: 40 }))).not.toThrow();
  });

  it("declares the A/B candidate with a clearly better reward the winner, with every estimate's interval", () => {
    const a = analyze(
      spec("AB"),
      observations(
        {
          v1: { requests: 20000, errorRate: 0.002, slow: 0.001, conversions: 600 },
          v2: { requests: 20000, errorRate: 0.002, slow: 0.001, conversions: 900 },
        },
        300,
        { v1: 50, v2: 50 },
      ),
    );
    expect(a.versions.v1?.validated).toBe(true);
    expect(a.versions.v2?.validated).toBe(true);
    expect(a.winner).toBe("v2");
    expect(a.recommended).toBe("v2");
    const c = a.comparisons.find((x) => x.version === "v2" && x.against === "v1");
    expect(c?.better).toBe(true);
    expect(c?.difference?.estimate).toBeCloseTo(0.015, 12);
    expect(c?.difference?.lower).toBeGreaterThan(0);
    // toward the winner, at most 10 points per iteration
    expect(a.weights).toEqual({ v1: 40, v2: 60 });
  });

  it("keeps everything undecided on thin data and names no winner", () => {
    const a = analyze(
      spec("AB"),
      observations(
        { v1: { requests: 90, conversions: 3 }, v2: { requests: 10, conversions: 1 } },
        30,
      ),
    );
    expect(a.versions.v1?.validated).toBeNull();
    expect(a.versions.v2?.validated).toBeNull();
    expect(a.winner).toBeNull();
    expect(a.recommended).toBe("v1");
    expect(a.comparisons.every((c) => !c.better)).toBe(true);
  });

  it("rolls a Canary candidate with 5% errors back to 0 at once and makes the validated baseline the winner", () => {
    const a = analyze(
      spec("Canary"),
      observations(
        { v1: { requests: 20000, errorRate: 0.002 }, v2: { requests: 5000, errorRate: 0.05 } },
        300,
        { v1: 70, v2: 30 },
      ),
    );
    expect(a.versions.v2?.validated).toBe(false);
    expect(a.versions.v2?.objectives.find((o) => o.metric === "error-rate")?.status).toBe("fail");
    expect(a.weights).toEqual({ v1: 100, v2: 0 });
    expect(a.winner).toBe("v1");
  });

  it("treats zero requests everywhere as no data, not as an error", () => {
    const a = analyze(
      spec("Canary"),
      observations({ v1: { requests: 0 }, v2: { requests: 0 } }, 30),
    );
    for (const v of ["v1", "v2"]) {
      expect(a.versions[v]?.validated).toBeNull();
      expect(a.versions[v]?.objectives.every((o) => o.value === null)).toBe(true);
    }
    expect(a.winner).toBeNull();
    expect(sum(a.weights)).toBe(100);
  });

  it("lists versions the observations leave out and keeps them undecided", () => {
    const a = analyze(spec("Canary"), observations({ v1: { requests: 20000, errorRate: 0.002 } }));
    expect(a.missing).toEqual(["v2"]);
    expect(a.versions.v2?.validated).toBeNull();
  });

  it("compares a zero-variance mean reward: constant values that differ widely are told apart", () => {
    const s = basketReward();
    const constant = (n: number, x: number) => ({
      requests: n,
      errors: 0,
      metrics: { basket: { count: n, sum: n * x, sumSquares: n * x * x } },
    });
    const a = analyze(s, {
      elapsedSeconds: 60,
      versions: { v1: constant(100, 3), v2: constant(100, 4) },
    });
    expect(a.winner).toBe("v2");
    const d = a.comparisons.find((c) => c.version === "v2")?.difference;
    expect(d?.estimate).toBe(1);
    // the floored variance keeps the interval from collapsing to the point
    expect(d?.lower).toBeGreaterThan(0);
    expect(d?.lower).toBeLessThan(1);
    expect(d?.upper).toBeGreaterThan(1);
  });

  it("holds no winner on thin constant mean data that differ slightly, and rejects an impossible sum of squares", () => {
    const s = basketReward();
    const obs = (v2: { count: number; sum: number; sumSquares: number }) => ({
      elapsedSeconds: 60,
      versions: {
        v1: {
          requests: 30,
          errors: 0,
          metrics: { basket: { count: 30, sum: 300, sumSquares: 3000 } },
        },
        v2: { requests: 30, errors: 0, metrics: { basket: v2 } },
      },
    });
    const a = analyze(s, obs({ count: 30, sum: 301, sumSquares: 301 ** 2 / 30 }));
    expect(a.winner).toBeNull();
    expect(() => analyze(s, obs({ count: 30, sum: 303, sumSquares: 0 }))).toThrow(
      "sumSquares (0) is less than sum²/count",
    );
  });

  it("keeps A/B/n at an equal split among the versions still in the race, dropping those confidently worse than a validated one", () => {
    const healthy = { errorRate: 0.002, slow: 0.001 };
    const obs = observations(
      {
        v1: { requests: 20000, conversions: 600, ...healthy },
        v2: { requests: 20000, conversions: 1000, ...healthy },
        v3: { requests: 20000, conversions: 1000, ...healthy },
        v4: { requests: 20000, conversions: 600, ...healthy },
      },
      120,
      { v1: 25, v2: 25, v3: 25, v4: 25 },
    );
    const a = analyze(spec("ABN"), obs);
    expect(a.winner).toBeNull();
    // v2 and v3 convert at 5% against 3%: v1 and v4 leave the race; v2 and v3 share it equally,
    // each rising by the increment (10) at most; v1 then v4 keep what is left (they drain as fast
    // as the contenders absorb it)
    expect(a.weights).toEqual({ v1: 25, v2: 35, v3: 35, v4: 5 });
  });
});

describe("the JSON of an analysis", () => {
  it("has the winner, the recommendation, each version's verdicts and reward, and the weights — and no Infinity", () => {
    const a = analyze(
      spec("AB"),
      observations({
        v1: { requests: 20, conversions: 1 },
        v2: { requests: 20000, errorRate: 0.002, conversions: 900 },
      }),
    );
    const json = analysisToJson(a) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining([
        "winner",
        "recommended",
        "versions",
        "weights",
        "comparisons",
        "alpha",
      ]),
    );
    expect(json.winner).toBeNull();
    expect(json.recommended).toBe("v1");
    const versions = json.versions as Record<
      string,
      { validated: unknown; objectives: unknown[]; reward: unknown }
    >;
    expect(Object.keys(versions)).toEqual(["v1", "v2"]);
    expect(versions.v2?.validated).toBe(true);
    expect(versions.v1?.validated).toBeNull();
    expect(versions.v2?.objectives).toHaveLength(2);
    expect(versions.v2?.objectives[1]).toMatchObject({
      metric: "error-rate",
      upperLimit: 0.01,
      status: "pass",
    });
    expect(versions.v2?.reward).toMatchObject({ metric: "conversion", preferredDirection: "High" });
    // p99 of 20 requests has no upper bound: written as null, so the output is valid JSON
    expect(versions.v1?.objectives[0]).toMatchObject({
      metric: "latency-p99",
      value: { upper: null },
    });
    expect(JSON.stringify(json)).not.toMatch(/Infinity|NaN/);
  });
});
