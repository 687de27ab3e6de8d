/**
 * A fixed-horizon test sized for 80% power at the scenario's effect (`fixedHorizonSampleSize`),
 * which looks once. Traffic is split equally from the start; at the first interval's end where
 * every version has served `perArm` requests:
 * - each candidate's error rate and share of requests slower than 50 ms are compared with the
 *   baseline's by the two-proportion z-test at `objectiveAlpha` each; significantly worse → rollback;
 * - with a reward, the version with the highest conversion wins when it is better than every
 *   other remaining version by the z-test at `rewardAlpha` (Bonferroni over the comparisons);
 *   without a reward (Canary) the candidate wins unless rolled back.
 * After the look all traffic goes to the winner (the baseline when there is none).
 */
import type { VersionObservation } from "../../../controller/src/core/observations.js";
import { twoProportionZTest } from "../../../controller/src/core/stats/index.js";
import type { Simulation } from "../../../controller/src/sim/index.js";
import { addExposure, type Outcome } from "./outcome.js";
import { conversion } from "./point-estimates.js";
import { type DecisionScenario, P99_LIMIT_MS } from "./scenarios.js";

function slow(o: VersionObservation): { successes: number; trials: number } {
  const h = o.latency;
  if (h === undefined) return { successes: 0, trials: 0 };
  const at = h.boundsMs.indexOf(P99_LIMIT_MS);
  const total = h.counts.reduce((a, b) => a + b, 0);
  const within = h.counts.slice(0, at + 1).reduce((a, b) => a + b, 0);
  return { successes: total - within, trials: total };
}

/** True when `b` is significantly worse (higher) than `a` at `alpha` (two-sided test). */
function worse(
  a: { successes: number; trials: number },
  b: { successes: number; trials: number },
  alpha: number,
): boolean {
  const t = twoProportionZTest(a, b);
  return t.pValue < alpha && t.z > 0;
}

export function runFixedHorizon(s: DecisionScenario, sim: Simulation): Outcome {
  const versions = sim.versions;
  const baseline = versions[0] as string;
  const design = s.fixedHorizon;
  const perInterval = s.world.requestsPerInterval;
  const traffic = sim.traffic();
  const exposure: Record<string, number> = {};
  const even = 100 / versions.length;
  const weights = Object.fromEntries(versions.map((v) => [v, even]));
  for (let i = 1; i <= s.maxIterations; i++) {
    addExposure(exposure, weights, 1, perInterval);
    const obs = traffic.serve(weights);
    if (versions.some((v) => (traffic.requests[v] ?? 0) < design.perArm)) continue;
    const base = obs.versions[baseline] as VersionObservation;
    const rolledBack = versions.slice(1).filter((v) => {
      const o = obs.versions[v] as VersionObservation;
      return (
        worse(
          { successes: base.errors, trials: base.requests },
          { successes: o.errors, trials: o.requests },
          design.objectiveAlpha,
        ) || worse(slow(base), slow(o), design.objectiveAlpha)
      );
    });
    const alive = versions.filter((v) => !rolledBack.includes(v));
    let winner: string | null = null;
    if (s.spec.criteria.reward === undefined) {
      winner = alive.find((v) => v !== baseline) ?? baseline;
    } else {
      const rate = (v: string) => {
        const c = conversion(obs.versions[v]);
        return c.count === 0 ? 0 : c.successes / c.count;
      };
      const leader = [...alive].sort((a, b) => rate(b) - rate(a))[0] as string;
      const lc = conversion(obs.versions[leader]);
      const beatsAll = alive
        .filter((v) => v !== leader)
        .every((v) => {
          const oc = conversion(obs.versions[v]);
          // the leader is better: the other one is "worse" in the z-test's sense, reversed
          const t = twoProportionZTest(
            { successes: oc.successes, trials: oc.count },
            { successes: lc.successes, trials: lc.count },
          );
          return t.pValue < design.rewardAlpha && t.z > 0;
        });
      if (beatsAll) winner = leader;
    }
    const target = winner ?? baseline;
    const final = Object.fromEntries(versions.map((v) => [v, v === target ? 100 : 0]));
    addExposure(exposure, final, s.maxIterations - i, perInterval);
    return {
      winner,
      rolledBack,
      decisionRequests: winner !== null || rolledBack.length > 0 ? traffic.totalRequests : null,
      exposure,
    };
  }
  return { winner: null, rolledBack: [], decisionRequests: null, exposure };
}
