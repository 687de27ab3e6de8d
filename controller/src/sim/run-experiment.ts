import type { ExperimentSpec } from "../core/experiment/index.js";
import { type ReconcileOptions, reconcile } from "../core/reconcile.js";
import type { ExperimentStatus } from "../core/status.js";
import { initialWeights } from "../core/weights-initial.js";
import type { Simulation } from "./simulation.js";

/** One look of a simulated experiment: what was served and what the controller decided. */
export interface SimulatedLook {
  iteration: number;
  /** Requests served by every version together, up to this look. */
  totalRequests: number;
  /** The weights in force during the interval that ended at this look. */
  weights: Record<string, number>;
  winner: string | null;
  phase: ExperimentStatus["phase"];
}

export interface SimulatedExperiment {
  /** The status after the last look taken. */
  status: ExperimentStatus;
  looks: SimulatedLook[];
  /** Versions the controller rolled back, in order. */
  rolledBack: string[];
  /** Requests served (all versions) at the first look with a winner or a rollback; null: never. */
  decisionRequests: number | null;
  /** The weights after the last look (the final ones when the experiment ended). */
  weights: Record<string, number>;
}

const TERMINAL = new Set(["Completed", "RolledBack", "Failed"]);

/**
 * Runs an experiment through the real controller step: each interval serves the simulated traffic
 * by the weights the previous `reconcile` returned, and the next `reconcile` sees the cumulative
 * observations, so weights adapt as in production. Stops at a terminal phase or after
 * `maxIterations` looks (default: the spec's). Pure and deterministic for a given simulation seed
 * and `options.seed`.
 */
export function simulateExperiment(
  spec: ExperimentSpec,
  sim: Simulation,
  options: ReconcileOptions & { maxIterations?: number } = {},
): SimulatedExperiment {
  const { maxIterations, ...reconcileOptions } = options;
  const limit = maxIterations ?? spec.duration?.maxIterations ?? 20;
  const intervalMs = sim.scenario.intervalSeconds * 1000;
  const traffic = sim.traffic();
  let weights = initialWeights(spec);
  let status: ExperimentStatus | undefined;
  let decisionRequests: number | null = null;
  const rolledBack: string[] = [];
  const looks: SimulatedLook[] = [];
  for (let i = 1; i <= limit; i++) {
    const served = weights;
    const observations = traffic.serve(served);
    const result = reconcile(
      spec,
      status,
      observations,
      new Date(i * intervalMs),
      reconcileOptions,
    );
    status = result.status;
    weights = result.weights;
    for (const a of result.actions)
      if (a.kind === "rollback" && !rolledBack.includes(a.version)) rolledBack.push(a.version);
    if (decisionRequests === null && (status.winner !== null || rolledBack.length > 0))
      decisionRequests = traffic.totalRequests;
    looks.push({
      iteration: i,
      totalRequests: traffic.totalRequests,
      weights: served,
      winner: status.winner,
      phase: status.phase,
    });
    if (TERMINAL.has(status.phase)) break;
  }
  if (status === undefined) {
    // no look at all (limit < 1): the status a first reconcile without traffic would give
    status = reconcile(
      spec,
      undefined,
      traffic.observations(),
      new Date(0),
      reconcileOptions,
    ).status;
  }
  return { status, looks, rolledBack, decisionRequests, weights };
}
