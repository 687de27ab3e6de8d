/**
 * How the experiment's error budget α = 1 − confidence is split (Bonferroni), so that every
 * decision of the experiment — at every look — is right with probability ≥ confidence:
 *
 *   statements = versions × objectives + reward comparisons
 *
 * where the versions include the dark (mirror) version, whose objectives are assessed like any
 * other's, and the reward comparisons are every pair of the split's versions (n·(n − 1)/2) when a
 * reward is set — the dark version has no reward (its responses never reach users): the leader is
 * not known in advance, and one difference interval answers both directions of a pair.
 * An objective with both limits counts once (its two checks share its α). The per-version reward
 * intervals are shown at the same level but decide nothing, so they are not counted.
 */
import type { ExperimentSpec } from "./experiment/index.js";
import { bonferroni } from "./stats/index.js";

export interface AlphaSplit {
  alpha: number;
  statements: number;
  alphaPerStatement: number;
}

export function splitAlpha(spec: ExperimentSpec): AlphaSplit {
  // 1 − 0.95 is 0.050000000000000044 in binary; 12 digits keep it 0.05 in every report
  const alpha = Number((1 - (spec.criteria.confidence ?? 0.95)).toPrecision(12));
  const split = 1 + (spec.candidates?.length ?? 0);
  const dark = spec.traffic?.mirror?.version !== undefined ? 1 : 0;
  const objectives = spec.criteria.objectives?.length ?? 0;
  const pairs = spec.criteria.reward !== undefined ? (split * (split - 1)) / 2 : 0;
  const statements = Math.max(1, (split + dark) * objectives + pairs);
  return { alpha, statements, alphaPerStatement: bonferroni(alpha, statements) };
}
