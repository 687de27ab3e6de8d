/**
 * Iter8-style: objectives judged by point estimates of the cumulative metrics against the limits
 * (Iter8 v2's assessment: a version is validated when every objective's value satisfies its
 * limit), and the reward winner by Iter8 v1's Bayesian rule: the winner is declared when a
 * validated version's posterior probability of being best exceeds 0.99 (Beta(1 + S, 1 + F)
 * posteriors, 1000 Monte Carlo draws). Weights: Canary ramps the candidate by the increment while
 * it is validated and drops it when not; AB/ABN follow P(best) among validated versions (Iter8 v1's
 * posterior Bayesian routing), each candidate rising by at most the increment per interval.
 * There is no early stop on objectives: at maxIterations the verdicts of the last look stand — a
 * Canary candidate is promoted if validated and rolled back if not; a version failing its
 * objectives at the end is rolled back.
 */
import {
  type ArmObservation,
  createRng,
  probabilityBest,
} from "../../../controller/src/core/stats/index.js";
import type { Simulation } from "../../../controller/src/sim/index.js";
import { addExposure, type Outcome } from "./outcome.js";
import { conversion, pointValidated } from "./point-estimates.js";
import { type DecisionScenario, ERROR_LIMIT, P99_LIMIT_MS } from "./scenarios.js";

export const ITER8_PBEST = 0.99;
export const ITER8_DRAWS = 1000;
const INCREMENT = 10;

export function runIter8(
  s: DecisionScenario,
  sim: Simulation,
  seed: number,
  draws = ITER8_DRAWS,
): Outcome {
  const versions = sim.versions;
  const baseline = versions[0] as string;
  const candidates = versions.slice(1);
  const perInterval = s.world.requestsPerInterval;
  const rng = createRng(seed ^ 0x5bd1e995);
  const traffic = sim.traffic();
  const exposure: Record<string, number> = {};
  let weights: Record<string, number> = Object.fromEntries(
    versions.map((v) => [v, v === baseline ? 100 : 0]),
  );
  const canary = s.spec.testingPattern === "Canary";
  for (let i = 1; i <= s.maxIterations; i++) {
    addExposure(exposure, weights, 1, perInterval);
    const obs = traffic.serve(weights);
    const valid = Object.fromEntries(
      versions.map((v) => [v, pointValidated(obs.versions[v], ERROR_LIMIT, P99_LIMIT_MS)]),
    );
    const last = i === s.maxIterations;
    if (canary) {
      const c = candidates[0] as string;
      if (last) {
        const promoted = valid[c] === true;
        return {
          winner: promoted ? c : valid[baseline] === true ? baseline : null,
          rolledBack: promoted ? [] : [c],
          decisionRequests: traffic.totalRequests,
          exposure,
        };
      }
      const w = valid[c] === false ? 0 : Math.min(100, (weights[c] ?? 0) + INCREMENT);
      weights = { [baseline]: 100 - w, [c]: w };
      continue;
    }
    // AB / ABN: P(best) among versions not failing by point estimate
    const alive = versions.filter((v) => valid[v] !== false);
    const arms: ArmObservation[] = alive.map((v) => ({
      kind: "rate",
      ...conversion(obs.versions[v]),
    }));
    const pBest = alive.length > 0 ? probabilityBest(arms, { direction: "high", draws, rng }) : [];
    const leader = pBest.indexOf(Math.max(...pBest));
    const leaderName = alive[leader];
    if (
      leaderName !== undefined &&
      valid[leaderName] === true &&
      (pBest[leader] ?? 0) > ITER8_PBEST
    ) {
      const decisionRequests = traffic.totalRequests;
      const final = Object.fromEntries(versions.map((v) => [v, v === leaderName ? 100 : 0]));
      addExposure(exposure, final, s.maxIterations - i, perInterval);
      return {
        winner: leaderName,
        rolledBack: versions.filter((v) => valid[v] === false && v !== baseline),
        decisionRequests,
        exposure,
      };
    }
    if (last) {
      const rolledBack = candidates.filter((v) => valid[v] === false);
      return {
        winner: null,
        rolledBack,
        decisionRequests: rolledBack.length > 0 ? traffic.totalRequests : null,
        exposure,
      };
    }
    const next: Record<string, number> = {};
    let used = 0;
    for (const v of candidates) {
      const k = alive.indexOf(v);
      const target = k < 0 ? 0 : 100 * (pBest[k] ?? 0);
      next[v] = Math.floor(Math.min(target, (weights[v] ?? 0) + INCREMENT));
      used += next[v] ?? 0;
    }
    if (used > 100) for (const v of candidates) next[v] = Math.floor(((next[v] ?? 0) * 100) / used);
    weights = { [baseline]: 100 - candidates.reduce((a, v) => a + (next[v] ?? 0), 0), ...next };
  }
  return { winner: null, rolledBack: [], decisionRequests: null, exposure };
}
