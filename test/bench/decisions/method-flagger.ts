/**
 * Flagger-style: a threshold check per interval on the last interval's window, with Flagger's
 * canary semantics (fluxcd/flagger pkg/controller/scheduler.go): the first interval only starts
 * the canary (weight 0 → stepWeight, no analysis); afterwards each interval's metric checks
 * either pass — the canary weight advances by `stepWeight`, and once it has reached `maxWeight` a
 * passing check promotes it — or fail, which adds one to the failed-check count and holds the
 * weight. The count is never reset by passing checks; when it reaches `threshold` the canary is
 * rolled back. Settings of Flagger's documented example: stepWeight 10, maxWeight 50, threshold 5.
 *
 * Checks (Flagger's builtin metrics over `[interval]`): request-success-rate ≥ 99% (error rate ≤
 * 1%) and request-duration p99 ≤ 50 ms via `histogram_quantile`. Flagger has no reward; for the
 * reward scenarios a custom metric check is added — the canary's conversion in the window is at
 * least the primary's (a MetricTemplate with thresholdRange min 1 on their ratio) — so that
 * promotion means "not worse" as Flagger users express it.
 */
import type { Observations } from "../../../controller/src/core/observations.js";
import { type Simulation, windowBetween } from "../../../controller/src/sim/index.js";
import { addExposure, type Outcome } from "./outcome.js";
import { conversion, errorRate, p99 } from "./point-estimates.js";
import { type DecisionScenario, ERROR_LIMIT, P99_LIMIT_MS } from "./scenarios.js";

export const FLAGGER = { stepWeight: 10, maxWeight: 50, threshold: 5 } as const;

function checksPass(
  window: Observations,
  baseline: string,
  canary: string,
  reward: boolean,
): boolean {
  const c = window.versions[canary];
  const e = errorRate(c);
  const q = p99(c);
  // no traffic in the window: Flagger's query returns no values, which fails the check
  if (Number.isNaN(e) || Number.isNaN(q)) return false;
  if (e > ERROR_LIMIT || q > P99_LIMIT_MS) return false;
  if (!reward) return true;
  const a = conversion(window.versions[baseline]);
  const b = conversion(c);
  if (a.count === 0 || b.count === 0) return false;
  return b.successes / b.count >= a.successes / a.count;
}

export function runFlagger(s: DecisionScenario, sim: Simulation): Outcome {
  const [baseline, canary] = sim.versions as [string, string];
  const reward = s.spec.criteria.reward !== undefined;
  const perInterval = s.world.requestsPerInterval;
  const traffic = sim.traffic();
  const exposure: Record<string, number> = {};
  let weight = 0;
  let failed = 0;
  let before: Observations | undefined;
  const done = (winner: string, rolledBack: string[], i: number): Outcome => {
    const final = {
      [baseline]: winner === baseline ? 100 : 0,
      [canary]: winner === canary ? 100 : 0,
    };
    addExposure(exposure, final, s.maxIterations - i, perInterval);
    return { winner, rolledBack, decisionRequests: traffic.totalRequests, exposure };
  };
  for (let i = 1; i <= s.maxIterations; i++) {
    const weights = { [baseline]: 100 - weight, [canary]: weight };
    addExposure(exposure, weights, 1, perInterval);
    const after = traffic.serve(weights);
    const window = windowBetween(before, after);
    before = after;
    if (i === 1) {
      weight = FLAGGER.stepWeight;
      continue;
    }
    if (!checksPass(window, baseline, canary, reward)) {
      failed++;
      if (failed >= FLAGGER.threshold) return done(baseline, [canary], i);
      continue;
    }
    if (weight >= FLAGGER.maxWeight) return done(canary, [], i);
    weight = Math.min(FLAGGER.maxWeight, weight + FLAGGER.stepWeight);
  }
  return { winner: null, rolledBack: [], decisionRequests: null, exposure };
}
