/**
 * Ours: the real controller step through `simulateExperiment` — each interval's traffic is split by
 * the weights the previous `reconcile` returned, as in production (equal split in the race, ramps,
 * rollbacks). After the experiment ends, the rest of the horizon runs at its final weights.
 */
import { type Simulation, simulateExperiment } from "../../../controller/src/sim/index.js";
import { addExposure, type Outcome } from "./outcome.js";
import type { DecisionScenario } from "./scenarios.js";

export function runOurs(s: DecisionScenario, sim: Simulation, seed: number): Outcome {
  const run = simulateExperiment(s.spec, sim, { seed, maxIterations: s.maxIterations });
  if (run.status.phase === "Failed") throw new Error(`reconcile failed: ${run.status.message}`);
  const perInterval = s.world.requestsPerInterval;
  const exposure: Record<string, number> = {};
  for (const look of run.looks) addExposure(exposure, look.weights, 1, perInterval);
  addExposure(exposure, run.weights, s.maxIterations - run.looks.length, perInterval);
  return {
    winner: run.status.winner,
    rolledBack: run.rolledBack,
    decisionRequests: run.decisionRequests,
    exposure,
  };
}
