/**
 * Progressive A/B/n while the winner is being identified: an equal split among the versions still in
 * the race, so every pair of contenders keeps a 1:1 ratio and pools its reward difference from the
 * first request; versions that fail or are confidently worse leave the race; the winner takes the
 * traffic only once found — and A/A false winners stay within 1 − confidence.
 */
import { describe, expect, it } from "vitest";
import { initialWeights } from "../../../controller/src/core/weights-initial.js";
import { contenders } from "../../../controller/src/core/weights-race.js";
import {
  createSimulation,
  latencyWithTail,
  simulateExperiment,
} from "../../../controller/src/sim/index.js";
import { spec } from "./scenario.js";

const version = (p: number, errorRate = 0.002) => ({
  errorRate,
  latency: latencyWithTail([5, 10, 25, 50, 100], 50, 0.005, 0.6),
  metrics: { conversion: { type: "rate" as const, p } },
});

const abn = spec("ABN", {
  criteria: {
    confidence: 0.95,
    objectives: [{ metric: "error-rate", upperLimit: 0.01 }],
    reward: { metric: "conversion", preferredDirection: "High" },
  },
  duration: { intervalSeconds: 60, maxIterations: 30 },
});

const world = (v1: number, v2: number, v3: number, v4: number, v3errors = 0.002) => ({
  versions: { v1: version(v1), v2: version(v2), v3: version(v3, v3errors), v4: version(v4) },
  requestsPerInterval: 8000,
  intervalSeconds: 60,
  blockSize: 50,
});

describe("Progressive A/B/n: an equal split among the contenders, then the winner", () => {
  it("starts A/B/n at an equal split, A/B at 50/50 and a Canary at one increment", () => {
    expect(initialWeights(abn)).toEqual({ v1: 25, v2: 25, v3: 25, v4: 25 });
    expect(initialWeights(spec("AB"))).toEqual({ v1: 50, v2: 50 });
    expect(initialWeights(spec("Canary"))).toEqual({ v1: 90, v2: 10 });
    // each candidate capped by maxCandidateWeight, the excess on the baseline
    const capped = { maxCandidateWeight: 20, maxCandidateWeightIncrement: 30 };
    expect(initialWeights(spec("ABN", { weights: capped }))).toEqual({
      v1: 40,
      v2: 20,
      v3: 20,
      v4: 20,
    });
    expect(initialWeights(spec("Canary", { weights: capped }))).toEqual({ v1: 80, v2: 20 });
    // weights given in the spec win
    const given = spec("AB");
    given.baseline = { ...given.baseline, weight: 100 };
    expect(initialWeights(given)).toEqual({ v1: 100, v2: 0 });
  });

  it("takes a version out of the race only when it fails or a validated rival is confidently better", () => {
    const versions = ["v1", "v2", "v3", "v4"];
    const better = (u: string, v: string) => u === "v4" && (v === "v2" || v === "v3");
    // v4 beats v2 and v3 but is not validated yet: nobody leaves on the reward; v1 fails
    expect(contenders(versions, new Set(["v1"]), { v4: null }, better)).toEqual(["v2", "v3", "v4"]);
    // once v4 is validated, v2 and v3 leave too
    expect(contenders(versions, new Set(), { v4: true }, better)).toEqual(["v1", "v4"]);
    // a failing version beats nobody out of the race
    expect(contenders(versions, new Set(["v4"]), { v4: true }, better)).toEqual(["v1", "v2", "v3"]);
  });

  it("keeps the contenders at equal weights, drops the worse ones, and moves to the winner only once found", () => {
    const run = simulateExperiment(abn, createSimulation(world(0.05, 0.05, 0.05, 0.06), 11), {
      seed: 2,
    });
    expect(run.status.winner).toBe("v4");
    const found = run.looks.findIndex((l) => l.winner !== null);
    expect(found).toBeGreaterThan(0);
    // before the winner is known, the best version is always among the contenders, at their
    // common weight: never less than any other version's, never below its start
    for (const look of run.looks.slice(0, found)) {
      const v4 = look.weights.v4 ?? 0;
      expect(v4).toBeGreaterThanOrEqual(25);
      for (const v of ["v2", "v3"]) expect(look.weights[v] ?? 0).toBeLessThanOrEqual(v4);
    }
    // the best version's pairs pooled from the first request and kept pooling until it won
    // (eliminations change the contenders' weight, not their 1:1 ratio)
    for (const against of ["v1", "v2", "v3"]) {
      const c = run.status.comparisons.find((x) => x.version === "v4" && x.against === against);
      expect(c?.method).toBe("combined");
      expect(c?.pool?.since.a.count).toBe(0);
    }
    expect(run.status.phase).toBe("Completed");
  });

  it("drops a version that fails an objective to 0 at once and shares its weight among the rest", () => {
    const run = simulateExperiment(abn, createSimulation(world(0.05, 0.05, 0.05, 0.05, 0.05), 5), {
      seed: 4,
      maxIterations: 6,
    });
    expect(run.rolledBack).toEqual(["v3"]);
    const at = run.looks.findIndex((l) => l.weights.v3 === 0);
    expect(at).toBeGreaterThanOrEqual(0);
    // ⌊100/3⌋ = 33 each for v1, v2 and v4, the point left over to the baseline
    expect(run.looks[at]?.weights).toEqual({ v1: 34, v2: 33, v3: 0, v4: 33 });
  });

  it("declares a false winner in at most 5% of Progressive A/B/n A/A tests, 30 looks each", () => {
    const runs = 200;
    let falseWinners = 0;
    for (let r = 0; r < runs; r++) {
      const sim = createSimulation(world(0.05, 0.05, 0.05, 0.05), 7000 + r);
      if (simulateExperiment(abn, sim, { seed: r + 1 }).status.winner !== null) falseWinners++;
    }
    // /usr/bin/python3 -c "from scipy.stats import binom; print(binom.ppf(0.999, 200, 0.05))"
    // → 21.0: a true rate of 5% exceeds 21 of 200 with probability < 0.001
    expect(falseWinners).toBeLessThanOrEqual(21);
  }, 60_000);
});
