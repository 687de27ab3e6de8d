/**
 * Ours: the real controller step. Each interval the simulated traffic is split by the weights the
 * previous `reconcile` returned, and the next `reconcile` sees the cumulative observations — just as
 * in production, so the weights adapt (Thompson shares, ramps, rollbacks).
 */

import { reconcile } from "../../../controller/src/core/reconcile.js";
import type { ExperimentStatus } from "../../../controller/src/core/status.js";
import { initialWeights } from "../../../controller/src/core/weights-initial.js";
import type { Simulation } from "../../../controller/src/sim/index.js";
import { addExposure, type Outcome } from "./outcome.js";
import type { DecisionScenario } from "./scenarios.js";

const TERMINAL = new Set(["Completed", "RolledBack", "Failed"]);

export function runOurs(s: DecisionScenario, sim: Simulation, seed: number): Outcome {
  const traffic = sim.traffic();
  const perInterval = s.world.requestsPerInterval;
  let weights = initialWeights(s.spec);
  let status: ExperimentStatus | undefined;
  let decisionRequests: number | null = null;
  const exposure: Record<string, number> = {};
  const rolledBack = new Set<string>();
  for (let i = 1; i <= s.maxIterations; i++) {
    addExposure(exposure, weights, 1, perInterval);
    const observations = traffic.serve(weights);
    const result = reconcile(s.spec, status, observations, new Date(i * 60_000), { seed });
    status = result.status;
    weights = result.weights;
    for (const a of result.actions) if (a.kind === "rollback") rolledBack.add(a.version);
    if (decisionRequests === null && (status.winner !== null || rolledBack.size > 0))
      decisionRequests = traffic.totalRequests;
    if (TERMINAL.has(status.phase)) {
      addExposure(exposure, weights, s.maxIterations - i, perInterval);
      break;
    }
  }
  if (status?.phase === "Failed") throw new Error(`reconcile failed: ${status.message}`);
  return {
    winner: status?.winner ?? null,
    rolledBack: [...rolledBack],
    decisionRequests,
    exposure,
  };
}
