/** Where a look leaves the experiment: running on, completed (with what to promote) or rolled back. */
import type { Analysis } from "./analysis-types.js";
import type { ResolvedSpec } from "./experiment/index.js";
import type { Phase } from "./status.js";

/** Whether the weights have reached the winner: the step would not move them further. */
function weightsAtWinner(
  spec: ResolvedSpec,
  winner: string,
  weights: Record<string, number>,
): boolean {
  if (spec.deploymentPattern === "FixedSplit" || spec.testingPattern === "Conformance") return true;
  if (winner === spec.baseline.name) return (weights[winner] ?? 0) === 100;
  const others = Object.entries(weights).filter(([v]) => v !== winner && v !== spec.baseline.name);
  return (
    (weights[winner] ?? 0) >= Math.min(spec.weights.maxCandidateWeight, 100) &&
    others.every(([, w]) => w === 0)
  );
}

/** The outcome of a look: the phase, the weights, what to promote and why. */
export interface Step {
  phase: Phase;
  weights: Record<string, number>;
  /** The version to promote now, if any. */
  promote: string | null;
  why: string;
}

/**
 * Rolled back when every candidate fails; completed when a Conformance baseline fails, when the
 * winner has reached its weight, or at the last look (promoting the recommended version unless it
 * fails an objective); running otherwise.
 */
export function nextPhase(r: ResolvedSpec, a: Analysis, final: boolean): Step {
  const baseline = r.baseline.name;
  const candidates = r.candidates.map((c) => c.name);
  const all = (v: string) =>
    Object.fromEntries(Object.keys(a.weights).map((k) => [k, k === v ? 100 : 0]));
  if (candidates.length > 0 && candidates.every((c) => a.versions[c]?.validated === false))
    return {
      phase: "RolledBack",
      weights: all(baseline),
      promote: null,
      why: `Rolled back: every candidate fails an objective (${a.winnerReason})`,
    };
  if (r.testingPattern === "Conformance" && a.versions[baseline]?.validated === false)
    return {
      phase: "Completed",
      weights: a.weights,
      promote: null,
      why: `Completed at iteration ${a.iteration}: ${baseline} does not conform (${a.winnerReason}); nothing is promoted.`,
    };
  if (a.winner !== null && weightsAtWinner(r, a.winner, a.weights))
    return {
      phase: "Completed",
      weights: all(a.winner),
      promote: a.winner,
      why: `Completed at iteration ${a.iteration}: ${a.winnerReason} ${a.winner} is promoted.`,
    };
  if (final && a.winner === null && a.versions[a.recommended]?.validated === false)
    // the recommendation falls back to the baseline, but promoting a version that fails an
    // objective would bless it: keep its traffic and say why nothing was promoted
    return {
      phase: "Completed",
      weights: all(a.recommended),
      promote: null,
      why: `Completed after ${a.iteration} iterations: ${a.winnerReason} ${a.recommended} keeps the traffic but is not promoted: it fails an objective.`,
    };
  if (final)
    return {
      phase: "Completed",
      weights: all(a.recommended),
      promote: a.recommended,
      why: `Completed after ${a.iteration} iterations: ${a.winnerReason} ${a.recommended} is promoted.`,
    };
  return {
    phase: "Running",
    weights: a.weights,
    promote: null,
    why: `Iteration ${a.iteration}: ${a.winnerReason}`,
  };
}
