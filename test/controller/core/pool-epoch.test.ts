/**
 * Progressive weights: a reward pair pools its difference only over an epoch in which its
 * allocation stayed fixed, started when the weights just set repeat the ratio, frozen for good
 * when the ratio changes — and A/A false winners stay within 1 − confidence.
 */
import { describe, expect, it } from "vitest";
import { analyze } from "../../../controller/src/core/analysis.js";
import {
  continueEpoch,
  epochFromStart,
  sameRatio,
  startEpoch,
} from "../../../controller/src/core/assess-pool.js";
import { createRng } from "../../../controller/src/core/stats/index.js";
import {
  createSimulation,
  latencyWithTail,
  simulateExperiment,
} from "../../../controller/src/sim/index.js";
import { observations, spec } from "./scenario.js";

const counts = { a: { count: 100, successes: 5 }, b: { count: 100, successes: 6 } };

describe("pooling epochs under Progressive weights", () => {
  it("starts an epoch only when the weights just set repeat the ratio of the interval that ended", () => {
    expect(sameRatio([50, 50], [30, 30])).toBe(true);
    expect(sameRatio([100, 0], [100, 0])).toBe(false);
    expect(startEpoch([60, 40], [50, 50], counts)).toBeUndefined();
    expect(startEpoch([50, 50], [50, 50], counts)).toEqual({ ratio: [50, 50], since: counts });
  });

  it("has an epoch from the start only while every allocation so far served the pair in one ratio", () => {
    const zero = { count: 0, successes: 0 };
    expect(
      epochFromStart(
        [
          [25, 25],
          [34, 33],
        ],
        zero,
      ),
    ).toBeUndefined();
    expect(
      epochFromStart(
        [
          [100, 0],
          [90, 10],
        ],
        zero,
      ),
    ).toBeUndefined();
    expect(
      epochFromStart(
        [
          [25, 25],
          [33, 33],
          [50, 50],
        ],
        zero,
      ),
    ).toEqual({
      ratio: [25, 25],
      since: { a: zero, b: zero },
    });
  });

  it("freezes an epoch for good once an interval breaks its ratio", () => {
    const epoch = { ratio: [50, 50] as [number, number], since: counts };
    expect(continueEpoch(epoch, [45, 45])).toBe(epoch);
    const frozen = continueEpoch(epoch, [40, 60]);
    expect(frozen.frozen).toBe(true);
    expect(continueEpoch(frozen, [50, 50]).frozen).toBe(true);
  });

  const world = (p2: number) => {
    const version = (p: number) => ({
      errorRate: 0.002,
      latency: latencyWithTail([5, 10, 25, 50, 100], 50, 0.005, 0.6),
      metrics: { conversion: { type: "rate" as const, p } },
    });
    return {
      versions: { v1: version(0.05), v2: version(p2) },
      requestsPerInterval: 4000,
      intervalSeconds: 60,
      blockSize: 50,
    };
  };
  const ab = spec("AB", {
    criteria: {
      confidence: 0.95,
      objectives: [{ metric: "error-rate", upperLimit: 0.01 }],
      reward: { metric: "conversion", preferredDirection: "High" },
    },
    duration: { intervalSeconds: 60, maxIterations: 30 },
  });

  it("pools a Progressive A/B pair from its first request on, since it starts at 50/50 and keeps it", () => {
    const run = simulateExperiment(ab, createSimulation(world(0.05), 77), { seed: 3 });
    const c = run.status.comparisons.find((x) => x.version === "v2" && x.against === "v1");
    expect(c?.method).toBe("combined");
    expect(c?.pool?.ratio).toEqual([50, 50]);
    // A/B starts at 50/50 and keeps it: the epoch reads every request from the start
    expect(c?.pool?.since).toEqual({
      a: { count: 0, successes: 0 },
      b: { count: 0, successes: 0 },
    });
    expect(c?.pool?.frozen).toBeUndefined();
    // the reverse entry is the negation of the same statement: it carries no epoch of its own
    const back = run.status.comparisons.find((x) => x.version === "v1" && x.against === "v2");
    expect(back?.method).toBe("combined");
    expect(back?.pool).toBeUndefined();
  });

  it("declares a false winner in at most 5% of Progressive A/A tests with pooling epochs, 30 looks each", () => {
    const runs = 200;
    let falseWinners = 0;
    let pooled = 0;
    for (let r = 0; r < runs; r++) {
      const run = simulateExperiment(ab, createSimulation(world(0.05), 5000 + r), { seed: r + 1 });
      if (run.status.winner !== null) falseWinners++;
      if (run.status.comparisons.some((c) => c.pool !== undefined)) pooled++;
    }
    expect(pooled).toBe(runs);
    expect(falseWinners / runs).toBeLessThanOrEqual(0.05);
  });

  it("keeps a Progressive A/B at an even split without posterior draws, whoever leads", () => {
    const rng = createRng(5);
    const before = rng.state();
    const a = analyze(
      spec("AB"),
      observations(
        {
          v1: { requests: 5000, conversions: 250 },
          v2: { requests: 5000, conversions: 275 },
        },
        300,
      ),
      { previousWeights: { v1: 50, v2: 50 }, rng },
    );
    expect(a.winner).toBeNull();
    expect(a.weights).toEqual({ v1: 50, v2: 50 });
    expect(rng.state()).toEqual(before);
  });
});
