import { describe, expect, it } from "vitest";
import type { Observations } from "../../../controller/src/core/observations.js";
import {
  createSimulation,
  latencyWithTail,
  type SimScenario,
  SimulationInputError,
  splitRequests,
  windowBetween,
} from "../../../controller/src/sim/index.js";

const BOUNDS = [5, 10, 25, 50, 100];

function scenario(): SimScenario {
  const latency = latencyWithTail(BOUNDS, 50, 0.005, 0.6);
  return {
    versions: {
      v1: {
        errorRate: 0.01,
        latency,
        metrics: {
          conversion: { type: "rate", p: 0.05 },
          revenue: { type: "mean", mean: 20, sd: 5 },
        },
      },
      v2: { errorRate: 0.03, latency, metrics: { conversion: { type: "rate", p: 0.06 } } },
    },
    requestsPerInterval: 1000,
    intervalSeconds: 30,
    blockSize: 50,
  };
}

function looks(seed: number, weights: Record<string, number>[]): Observations[] {
  const t = createSimulation(scenario(), seed).traffic();
  return weights.map((w) => t.serve(w));
}

const RAMP = [
  { v1: 100, v2: 0 },
  { v1: 90, v2: 10 },
  { v1: 70, v2: 30 },
  { v1: 50, v2: 50 },
];

describe("the traffic simulator", () => {
  it("gives the same observations for the same seed and different ones for another seed", () => {
    expect(looks(7, RAMP)).toEqual(looks(7, RAMP));
    expect(looks(8, RAMP)).not.toEqual(looks(7, RAMP));
  });

  it("produces valid cumulative observations: histograms sum to requests, counts never shrink", () => {
    const obs = looks(11, RAMP);
    let before: Observations | undefined;
    for (const o of obs) {
      for (const [v, x] of Object.entries(o.versions)) {
        expect(x.latency?.counts.reduce((a, b) => a + b, 0)).toBe(x.requests);
        expect(x.latency?.counts).toHaveLength(BOUNDS.length + 1);
        expect(x.errors).toBeLessThanOrEqual(x.requests);
        const conversion = x.metrics?.conversion;
        expect(conversion).toMatchObject({ count: x.requests });
        if (conversion !== undefined && "successes" in conversion)
          expect(conversion.successes).toBeLessThanOrEqual(x.requests);
        const prev = before?.versions[v];
        if (prev !== undefined) {
          expect(x.requests).toBeGreaterThanOrEqual(prev.requests);
          expect(x.errors).toBeGreaterThanOrEqual(prev.errors);
          x.latency?.counts.forEach((c, i) => {
            expect(c).toBeGreaterThanOrEqual(prev.latency?.counts[i] ?? 0);
          });
        }
      }
      before = o;
    }
    expect(obs.map((o) => o.elapsedSeconds)).toEqual([30, 60, 90, 120]);
    expect(obs.map((o) => o.versions.v2?.requests)).toEqual([0, 100, 400, 900]);
    expect(obs[3]?.currentWeights).toEqual({ v1: 50, v2: 50 });
  });

  it("draws rates and means close to the truth over many requests", () => {
    const t = createSimulation({ ...scenario(), requestsPerInterval: 100_000 }, 3).traffic();
    for (let i = 0; i < 4; i++) t.serve({ v1: 50, v2: 50 });
    const o = t.observations().versions;
    const v1 = o.v1;
    const v2 = o.v2;
    if (v1 === undefined || v2 === undefined) throw new Error("missing version");
    // 200,000 requests each: standard errors 0.00022 (1%), 0.00038 (3%), 0.00049 (5%)
    expect(Math.abs(v1.errors / v1.requests - 0.01)).toBeLessThan(0.001);
    expect(Math.abs(v2.errors / v2.requests - 0.03)).toBeLessThan(0.0016);
    const revenue = v1.metrics?.revenue;
    if (revenue === undefined || !("sum" in revenue)) throw new Error("no revenue");
    const mean = revenue.sum / revenue.count;
    const variance = (revenue.sumSquares - revenue.count * mean * mean) / (revenue.count - 1);
    // mean 20 (standard error 0.011), sd 5 (variance 25, standard error ≈ 0.08)
    expect(Math.abs(mean - 20)).toBeLessThan(0.05);
    expect(Math.abs(variance - 25)).toBeLessThan(0.35);
    const slow = (v1.latency?.counts.slice(4).reduce((a, b) => a + b, 0) ?? 0) / v1.requests;
    expect(Math.abs(slow - 0.005)).toBeLessThan(0.0007);
  });

  it("lets every ledger of one simulation see the same requests (common random numbers)", () => {
    const sim = createSimulation(scenario(), 21);
    const a = sim.traffic();
    const b = sim.traffic();
    a.serve({ v1: 50, v2: 50 });
    a.serve({ v1: 50, v2: 50 });
    b.serve({ v1: 0, v2: 100 });
    // both have served 1000 requests of v2, by different routes
    expect(a.observations().versions.v2).toEqual(b.observations().versions.v2);
    expect(a.totalRequests).toBe(2000);
    expect(b.requests).toEqual({ v1: 0, v2: 1000 });
  });

  it("splits an interval by the weights in whole blocks that add up to the total", () => {
    expect(splitRequests(1000, { v1: 90, v2: 10 }, ["v1", "v2"], 50)).toEqual({ v1: 900, v2: 100 });
    expect(splitRequests(1000, { a: 1, b: 1, c: 1 }, ["a", "b", "c"], 50)).toEqual({
      a: 350,
      b: 350,
      c: 300,
    });
    expect(splitRequests(1000, {}, ["v1", "v2"], 50)).toEqual({ v1: 1000, v2: 0 });
    expect(() => splitRequests(1010, { v1: 100 }, ["v1"], 50)).toThrow(SimulationInputError);
  });

  it("gives the last interval's window as the difference of two looks", () => {
    const [first, second] = looks(5, RAMP.slice(2));
    if (first === undefined || second === undefined) throw new Error("missing look");
    const w = windowBetween(first, second);
    expect(w.elapsedSeconds).toBe(30);
    expect(w.versions.v2?.requests).toBe(500);
    expect(w.versions.v2?.latency?.counts.reduce((a, b) => a + b, 0)).toBe(500);
    expect(w.versions.v1?.errors).toBe(
      (second.versions.v1?.errors ?? 0) - (first.versions.v1?.errors ?? 0),
    );
    expect(windowBetween(undefined, first)).toEqual({ ...first });
  });

  it("refuses a scenario it cannot simulate, naming the field", () => {
    expect(() => createSimulation({ ...scenario(), versions: {} }, 1)).toThrow(/versions/);
    expect(() => createSimulation({ ...scenario(), blockSize: 1 }, 1)).toThrow(/blockSize/);
    expect(() => createSimulation({ ...scenario(), intervalSeconds: 0 }, 1)).toThrow(
      /intervalSeconds/,
    );
  });
});
