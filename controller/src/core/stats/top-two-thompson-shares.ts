import { StatisticsInputError } from "./errors.js";
import { type ArmObservation, type ThompsonOptions, thompsonTally } from "./probability-best.js";

/**
 * Traffic shares under top-two Thompson sampling (Russo 2016): with probability β play the
 * posterior leader I; otherwise re-sample until another arm J leads and play J. Given the
 * probabilities p of being best, the challenger is J = j with probability p_j / (1 − p_I), so
 *
 *   share_i = β·p_i + (1 − β)·Σ_{I ≠ i} p_I · p_i / (1 − p_I)
 *
 * When a leader won every draw (p_I = 1, re-sampling would never end), its challenger share goes
 * by how often each arm came second behind it. Shares sum to 1. Unlike plain Thompson sampling it
 * keeps sampling the runner-up, so the comparison needed to stop gets its data.
 *
 * @example topTwoThompsonShares([{ kind: "rate", successes: 10, trials: 100 }, { kind: "rate", successes: 30, trials: 100 }, { kind: "rate", successes: 28, trials: 100 }], { direction: "high", draws: 10000, rng: createRng(1) })
 * // [0, 0.5, 0.5] (two contenders share evenly at β = ½; the clearly worse arm gets nothing)
 */
export function topTwoThompsonShares(
  arms: ArmObservation[],
  opts: ThompsonOptions,
  beta = 0.5,
): number[] {
  if (!(beta >= 0 && beta <= 1)) {
    throw new StatisticsInputError(`beta must be a number between 0 and 1, got ${beta}`);
  }
  const tally = thompsonTally(arms, opts);
  const k = arms.length;
  if (k === 1) return [1];
  const p = tally.best.map((c) => c / tally.draws);
  const shares = p.map((pi) => beta * pi);
  for (let leader = 0; leader < k; leader++) {
    const pl = p[leader] as number;
    if (pl === 0) continue;
    const rest = 1 - pl;
    const row = tally.runnerUp[leader] as number[];
    const rowTotal = row.reduce((s, x) => s + x, 0);
    for (let j = 0; j < k; j++) {
      if (j === leader) continue;
      // Conditional challenger distribution; falls back to runner-up counts when no other arm led.
      const given =
        rest > 1e-12
          ? (p[j] as number) / rest
          : rowTotal > 0
            ? (row[j] as number) / rowTotal
            : 1 / (k - 1);
      shares[j] = (shares[j] as number) + (1 - beta) * pl * given;
    }
  }
  return shares;
}
