/**
 * The pooled (asymptotic) difference CS of the reward is used only while its assumption holds —
 * a fixed allocation between the pair — and it keeps A/A false winners within 1 − confidence.
 */
import { describe, expect, it } from "vitest";
import { analyze } from "../../../controller/src/core/analysis.js";
import { fixedAllocation } from "../../../controller/src/core/assess-allocation.js";
import { reconcile } from "../../../controller/src/core/reconcile.js";
import {
  createSimulation,
  latencyWithTail,
  simulateExperiment,
} from "../../../controller/src/sim/index.js";
import { observations, spec } from "./scenario.js";

const width = (i: { lower: number; upper: number } | null | undefined) =>
  i === null || i === undefined ? Number.NaN : i.upper - i.lower;

describe("when the reward difference may be pooled", () => {
  it("pools a pair only under FixedSplit and while every interval split it in the same ratio", () => {
    const even = { v1: 50, v2: 25, v3: 25 };
    expect(fixedAllocation("FixedSplit", [even, { ...even }])("v1", "v2")).toBe(true);
    expect(fixedAllocation("Progressive", [even, { ...even }])("v1", "v2")).toBe(false);
    const afterRollback = fixedAllocation("FixedSplit", [even, { v1: 75, v2: 25, v3: 0 }]);
    expect(afterRollback("v1", "v2")).toBe(false);
    expect(afterRollback("v2", "v3")).toBe(false);
    // a pair whose ratio did not change stays pooled: 2:1 before and after
    const scaled = fixedAllocation("FixedSplit", [
      { v1: 40, v2: 20, v3: 40 },
      { v1: 60, v2: 30, v3: 10 },
    ]);
    expect(scaled("v1", "v2")).toBe(true);
    expect(fixedAllocation("FixedSplit", [{ v1: 100, v2: 0 }])("v1", "v2")).toBe(false);
  });

  it("gives FixedSplit A/B a pooled conversion difference narrower than the Progressive split one at the same look", () => {
    const obs = observations({
      v1: { requests: 20_000, conversions: 1000 },
      v2: { requests: 20_000, conversions: 1100 },
    });
    const weights = { v1: 50, v2: 50 };
    const fixed = analyze(spec("AB", { deploymentPattern: "FixedSplit" }), obs, {
      previousWeights: weights,
    });
    const progressive = analyze(spec("AB"), obs, { previousWeights: weights });
    const f = fixed.comparisons.find((c) => c.version === "v2");
    const p = progressive.comparisons.find((c) => c.version === "v2");
    expect(f?.method).toBe("pooled");
    expect(p?.method).toBe("combined");
    expect(f?.difference?.estimate).toBeCloseTo(0.005, 12);
    expect(width(f?.difference)).toBeLessThan(0.7 * width(p?.difference));
  });

  it("freezes a pooled pair's interval once a rollback changes its ratio (FixedSplit A/B/n)", () => {
    const s = spec("ABN", { deploymentPattern: "FixedSplit" });
    const look = (n: number, v3Errors: number) =>
      observations(
        {
          v1: { requests: n, conversions: n / 20 },
          v2: { requests: n, conversions: n / 20 + n / 200 },
          v3: { requests: n, errorRate: v3Errors, conversions: n / 20 },
          v4: { requests: n, conversions: n / 20 },
        },
        30 * (n / 5000),
      );
    const first = reconcile(s, undefined, look(5000, 0.05), new Date(30_000));
    expect(first.weights).toEqual({ v1: 50, v2: 25, v3: 0, v4: 25 });
    const before = first.status.comparisons.find((c) => c.version === "v2" && c.against === "v1");
    expect(before?.method).toBe("pooled");
    const second = reconcile(s, first.status, look(10_000, 0.05), new Date(60_000));
    const after = second.status.comparisons.find((c) => c.version === "v2" && c.against === "v1");
    // twice the data would narrow a live interval; the frozen one is exactly the last pooled one
    expect(after?.method).toBe("pooled");
    expect(after?.difference).toEqual(before?.difference);
    // a pair whose ratio is unchanged (v2:v4, 25:25) keeps learning
    const live = (st: typeof first.status) =>
      st.comparisons.find((c) => c.version === "v4" && c.against === "v2")?.difference;
    expect(width(live(second.status))).toBeLessThan(width(live(first.status)));
  });

  it("declares a false winner in at most 5% of FixedSplit A/A tests with the pooled CS, 30 looks each", () => {
    const s = spec("AB", {
      deploymentPattern: "FixedSplit",
      criteria: {
        confidence: 0.95,
        objectives: [{ metric: "error-rate", upperLimit: 0.01 }],
        reward: { metric: "conversion", preferredDirection: "High" },
      },
      duration: { intervalSeconds: 60, maxIterations: 30 },
    });
    const same = {
      errorRate: 0.002,
      latency: latencyWithTail([5, 10, 25, 50, 100], 50, 0.005, 0.6),
      metrics: { conversion: { type: "rate" as const, p: 0.05 } },
    };
    const world = {
      versions: { v1: same, v2: same },
      requestsPerInterval: 4000,
      intervalSeconds: 60,
      blockSize: 50,
    };
    const runs = 200;
    let falseWinners = 0;
    let pooled = 0;
    for (let r = 0; r < runs; r++) {
      const run = simulateExperiment(s, createSimulation(world, 9000 + r), { seed: r + 1 });
      if (run.status.winner !== null) falseWinners++;
      if (run.status.comparisons.every((c) => c.method === "pooled")) pooled++;
    }
    expect(pooled).toBe(runs);
    expect(falseWinners / runs).toBeLessThanOrEqual(0.05);
  });
});
