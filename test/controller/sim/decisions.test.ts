/**
 * The simulation's error rates at a small size: whole experiments through the real `reconcile`,
 * looking every interval, with seeded traffic (controller/src/sim).
 */
import { describe, expect, it } from "vitest";
import type { ExperimentSpec } from "../../../controller/src/core/experiment/index.js";
import {
  createSimulation,
  latencyWithTail,
  type SimScenario,
  simulateExperiment,
  type VersionTruth,
} from "../../../controller/src/sim/index.js";

const BOUNDS = [5, 10, 25, 50, 100, 250];

function version(errorRate: number, conversion = 0.05): VersionTruth {
  return {
    errorRate,
    latency: latencyWithTail(BOUNDS, 50, 0.005, 0.6),
    metrics: { conversion: { type: "rate", p: conversion } },
  };
}

function spec(testingPattern: "AB" | "Canary", maxIterations: number): ExperimentSpec {
  const reward = testingPattern === "AB";
  return {
    target: "shop/checkout",
    testingPattern,
    baseline: { name: "v1" },
    candidates: [{ name: "v2" }],
    criteria: {
      confidence: 0.95,
      objectives: [
        { metric: "error-rate", upperLimit: 0.01 },
        { metric: "latency-p99", upperLimit: 50 },
      ],
      ...(reward ? { reward: { metric: "conversion", preferredDirection: "High" as const } } : {}),
    },
    ...(reward
      ? {
          metrics: [
            {
              name: "conversion",
              type: "rate" as const,
              provider: "prometheus" as const,
              count: "c",
              successes: "s",
            },
          ],
        }
      : {}),
    duration: { intervalSeconds: 60, maxIterations },
  };
}

function world(v2: VersionTruth, requestsPerInterval: number): SimScenario {
  return { versions: { v1: version(0.005), v2 }, requestsPerInterval, intervalSeconds: 60 };
}

describe("simulated experiments through reconcile", () => {
  it("declare a winner between identical versions no more often than 1 − confidence allows", () => {
    const runs = 200;
    let winners = 0;
    let rollbacks = 0;
    for (let r = 0; r < runs; r++) {
      const sim = createSimulation(world(version(0.005), 5000), 500 + r);
      const run = simulateExperiment(spec("AB", 10), sim, { seed: 500 + r });
      if (run.status.winner !== null) winners++;
      if (run.rolledBack.length > 0) rollbacks++;
    }
    // at most 1 − confidence = 5%: /usr/bin/python3 -c "from scipy.stats import binom;
    // print(binom.ppf(0.999, 200, 0.05))" → 21.0, so a true rate of 5% exceeds 21 of 200 with
    // probability < 0.001 (a rule peeking with a fixed-size z-test at 10 looks lands near 19%, ≈ 38)
    expect(winners).toBeLessThanOrEqual(21);
    expect(rollbacks).toBeLessThanOrEqual(21);
  }, 60_000);

  it("roll back a candidate whose error rate breaks the limit in most runs, and never promote it", () => {
    const runs = 50;
    let rolledBack = 0;
    const decided: number[] = [];
    for (let r = 0; r < runs; r++) {
      const sim = createSimulation(world(version(0.02), 2000), 900 + r);
      const run = simulateExperiment(spec("Canary", 20), sim, { seed: 900 + r });
      expect(run.status.winner).not.toBe("v2");
      if (run.rolledBack.includes("v2")) rolledBack++;
      if (run.decisionRequests !== null) decided.push(run.decisionRequests);
    }
    expect(rolledBack).toBeGreaterThanOrEqual(45);
    // decided before the horizon (20 intervals × 2000 requests), not at its end
    expect(Math.max(...decided)).toBeLessThan(40_000);
  }, 60_000);

  it("give the same experiment for the same seeds", () => {
    const run = (seed: number) =>
      simulateExperiment(spec("AB", 6), createSimulation(world(version(0.005, 0.06), 5000), seed), {
        seed,
      });
    const a = run(3);
    expect(run(3)).toEqual(a);
    expect(a.looks.map((l) => l.iteration)).toEqual([1, 2, 3, 4, 5, 6]);
    // A/B starts at an even split and keeps it while the winner is being identified
    expect(a.looks[0]?.weights).toEqual({ v1: 50, v2: 50 });
    expect(a.looks[1]?.weights).toEqual({ v1: 50, v2: 50 });
  });
});
