/**
 * Where the reward decision's requests go: on the same streams as a scenario, with a fixed 50/50
 * split and a look every interval, the requests until the difference of conversion rates is
 * "better with confidence" (its interval above 0) for variants of the confidence sequence. It
 * separates what the statistic costs from what the adaptive weights cost (see the main table's
 * "ours" row, which also ramps the candidate from 0 under the increment cap).
 */
import {
  DEFAULT_TUNING_N,
  type Interval,
  priorForLimit,
  type RateCounts,
  rateDifferenceConfidenceSequence,
} from "../../../controller/src/core/stats/index.js";
import { createSimulation } from "../../../controller/src/sim/index.js";
import { conversion } from "./point-estimates.js";
import type { DecisionScenario } from "./scenarios.js";
import { median } from "./summary.js";

interface Variant {
  name: string;
  interval: (a: RateCounts, b: RateCounts) => Interval;
}

export interface AblationRow {
  name: string;
  medianRequests: number;
  decided: number;
  wrong: number;
}

function variants(s: DecisionScenario, alphaPerStatement: number, statements: number): Variant[] {
  const n = s.fixedHorizon.perArm * Object.keys(s.world.versions).length;
  const a = alphaPerStatement;
  const split =
    (alpha: number, prior?: { a: number; b: number }) => (x: RateCounts, y: RateCounts) =>
      rateDifferenceConfidenceSequence(x, y, {
        alpha,
        method: "split",
        ...(prior ? { prior } : {}),
      });
  const asym =
    (alpha: number, tuningN = n) =>
    (x: RateCounts, y: RateCounts) =>
      rateDifferenceConfidenceSequence(x, y, { alpha, method: "asymptotic", tuningN });
  return [
    {
      name: `split, Beta(1, 1), α = ${a} (ours: 0.05 over ${statements} statements)`,
      interval: split(a),
    },
    { name: "split, Beta(1, 1), α = 0.05 (no Bonferroni)", interval: split(0.05) },
    {
      name: `split, Beta(2.5, 47.5) centred on 5%, α = ${a}`,
      interval: split(a, priorForLimit(0.05)),
    },
    { name: `asymptotic (Waudby-Smith et al.), N* = ${n}, α = ${a}`, interval: asym(a) },
    { name: `asymptotic, N* = ${n}, α = 0.05`, interval: asym(0.05) },
    {
      name: `asymptotic, N* = ${DEFAULT_TUNING_N} (the product's default), α = ${a} (ours under FixedSplit)`,
      interval: asym(a, DEFAULT_TUNING_N),
    },
    {
      name: `asymptotic, N* = ${DEFAULT_TUNING_N}, α = ${a / 2} (a Progressive pair's pooling epoch)`,
      interval: asym(a / 2, DEFAULT_TUNING_N),
    },
    {
      name: `split, Beta(1, 1), α = ${a / 2} (Progressive: the other half)`,
      interval: split(a / 2),
    },
  ];
}

export function rewardAblation(
  s: DecisionScenario,
  scenarioIndex: number,
  runs: number,
  alphaPerStatement: number,
  statements: number,
): AblationRow[] {
  const [base, cand] = Object.keys(s.world.versions) as [string, string];
  const vs = variants(s, alphaPerStatement, statements);
  const stops: number[][] = vs.map(() => []);
  const wrong = vs.map(() => 0);
  for (let r = 0; r < runs; r++) {
    const sim = createSimulation(s.world, 1_000_003 * (scenarioIndex + 1) + r);
    const traffic = sim.traffic();
    const open = vs.map(() => true);
    for (let i = 1; i <= s.maxIterations && open.some(Boolean); i++) {
      const obs = traffic.serve({ [base]: 50, [cand]: 50 });
      const a = conversion(obs.versions[base]);
      const b = conversion(obs.versions[cand]);
      vs.forEach((v, k) => {
        if (!open[k]) return;
        const d = v.interval(a, b);
        if (d.lower > 0 || d.upper < 0) {
          open[k] = false;
          stops[k]?.push(traffic.totalRequests);
          if (d.upper < 0 === (s.best === cand)) wrong[k] = (wrong[k] ?? 0) + 1;
        }
      });
    }
    vs.forEach((_, k) => {
      if (open[k]) stops[k]?.push(Number.POSITIVE_INFINITY);
    });
  }
  return vs.map((v, k) => ({
    name: v.name,
    medianRequests: median(stops[k] ?? []),
    decided: (stops[k] ?? []).filter(Number.isFinite).length / runs,
    wrong: (wrong[k] ?? 0) / runs,
  }));
}
