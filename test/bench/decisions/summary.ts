/** Per scenario and method: the rates and medians the table shows. */
import type { Outcome } from "./outcome.js";
import type { DecisionScenario } from "./scenarios.js";

export interface Summary {
  runs: number;
  right: number;
  falseWinner: number;
  falseRollback: number;
  decided: number;
  /** Median requests to a decision; +∞ when more than half of the runs never decided. */
  medianRequests: number;
  /** Share of the horizon's requests that went to a worse version (NaN when there is none). */
  worseShare: number;
}

export function isRight(s: DecisionScenario, o: Outcome): boolean {
  const noFalseRollback = o.rolledBack.every((v) => s.bad.includes(v));
  if (s.bad.length > 0)
    return s.bad.every((v) => o.rolledBack.includes(v)) && noFalseRollback && !isFalseWinner(s, o);
  if (s.best === null) return o.winner === null && o.rolledBack.length === 0;
  return o.winner === s.best && noFalseRollback;
}

export function isFalseWinner(s: DecisionScenario, o: Outcome): boolean {
  return o.winner !== null && !s.rightWinners.includes(o.winner);
}

export function median(xs: number[]): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function summarise(s: DecisionScenario, outcomes: Outcome[]): Summary {
  const n = outcomes.length;
  const share = (f: (o: Outcome) => boolean) => outcomes.filter(f).length / n;
  const worse = outcomes.map((o) => {
    const total = Object.values(o.exposure).reduce((a, b) => a + b, 0);
    const bad = s.worse.reduce((a, v) => a + (o.exposure[v] ?? 0), 0);
    return total > 0 ? bad / total : 0;
  });
  return {
    runs: n,
    right: share((o) => isRight(s, o)),
    falseWinner: share((o) => isFalseWinner(s, o)),
    falseRollback: share((o) => o.rolledBack.some((v) => !s.bad.includes(v))),
    decided: share((o) => o.decisionRequests !== null),
    medianRequests: median(outcomes.map((o) => o.decisionRequests ?? Number.POSITIVE_INFINITY)),
    worseShare: s.worse.length === 0 ? Number.NaN : worse.reduce((a, b) => a + b, 0) / n,
  };
}

/**
 * A one-sided upper bound for a rate from `k` of `n` (Wilson score), to say whether an observed
 * false-winner rate is consistent with the target.
 */
export function wilsonUpper(k: number, n: number, z = 1.6448536269514722): number {
  if (n === 0) return 1;
  const p = k / n;
  const d = 1 + (z * z) / n;
  const centre = p + (z * z) / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return (centre + spread) / d;
}
