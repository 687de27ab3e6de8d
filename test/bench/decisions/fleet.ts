/**
 * Issue 3's speed target: analysing 1000 experiments × 5 metrics in ≤ 1 s on one core. Each
 * experiment is an A/B test with four objectives (error rate, p99 from a 9-bucket histogram,
 * mean latency, a custom mean) and a conversion reward — 5 metrics × 2 versions plus the reward
 * difference — at its second look, so `reconcile` also intersects with the stored status. The
 * observations come from the simulator; only the `reconcile` calls are timed (best of 3 passes).
 */
import type { ExperimentSpec } from "../../../controller/src/core/experiment/index.js";
import type { Observations } from "../../../controller/src/core/observations.js";
import { reconcile } from "../../../controller/src/core/reconcile.js";
import type { ExperimentStatus } from "../../../controller/src/core/status.js";
import {
  createSimulation,
  latencyWithTail,
  type VersionTruth,
} from "../../../controller/src/sim/index.js";
import { BOUNDS_MS } from "./scenarios.js";

const FLEET = 1000;

function fleetSpec(i: number): ExperimentSpec {
  return {
    target: `shop/service-${i}`,
    testingPattern: "AB",
    baseline: { name: "v1" },
    candidates: [{ name: "v2" }],
    criteria: {
      confidence: 0.95,
      objectives: [
        { metric: "error-rate", upperLimit: 0.01 },
        { metric: "latency-p99", upperLimit: 50 },
        { metric: "latency-mean", upperLimit: 30 },
        { metric: "gpu-cores", upperLimit: 6 },
      ],
      reward: { metric: "conversion", preferredDirection: "High" },
    },
    metrics: [
      { name: "conversion", type: "rate", provider: "prometheus", count: "c", successes: "s" },
      {
        name: "gpu-cores",
        type: "mean",
        provider: "prometheus",
        count: "c",
        sum: "s",
        sumSquares: "q",
      },
    ],
    duration: { intervalSeconds: 60, maxIterations: 20 },
  };
}

function truth(conversion: number): VersionTruth {
  return {
    errorRate: 0.004,
    latency: latencyWithTail(BOUNDS_MS, 50, 0.004, 0.6),
    metrics: {
      conversion: { type: "rate", p: conversion },
      "latency-mean": { type: "mean", mean: 14, sd: 9 },
      "gpu-cores": { type: "mean", mean: 4, sd: 1.5 },
    },
  };
}

/** Milliseconds for the 1000 looks: CPU time of this process (what "one core" means on a shared machine) and wall time. */
export interface LookTiming {
  cpuMs: number;
  wallMs: number;
}

export interface FleetTiming {
  experiments: number;
  first: LookTiming;
  second: LookTiming;
}

function timed(f: () => void): LookTiming {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  f();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { cpuMs: (cpu.user + cpu.system) / 1000, wallMs };
}

const best = (a: LookTiming, b: LookTiming): LookTiming => (b.cpuMs < a.cpuMs ? b : a);

export function timeFleet(): FleetTiming {
  const specs = Array.from({ length: FLEET }, (_, i) => fleetSpec(i));
  const looks: [Observations, Observations][] = specs.map((_, i) => {
    const t = createSimulation(
      {
        versions: { v1: truth(0.05), v2: truth(0.052) },
        requestsPerInterval: 2000,
        intervalSeconds: 60,
      },
      90_000 + i,
    ).traffic();
    return [t.serve({ v1: 50, v2: 50 }), t.serve({ v1: 50, v2: 50 })];
  });
  let first: LookTiming = { cpuMs: Number.POSITIVE_INFINITY, wallMs: Number.POSITIVE_INFINITY };
  let second = first;
  for (let pass = 0; pass < 3; pass++) {
    const statuses: ExperimentStatus[] = [];
    first = best(
      first,
      timed(() =>
        specs.forEach((spec, i) => {
          const obs = looks[i]?.[0] as Observations;
          statuses.push(reconcile(spec, undefined, obs, new Date(60_000)).status);
        }),
      ),
    );
    second = best(
      second,
      timed(() =>
        specs.forEach((spec, i) => {
          reconcile(spec, statuses[i], looks[i]?.[1] as Observations, new Date(120_000));
        }),
      ),
    );
  }
  return { experiments: FLEET, first, second };
}
