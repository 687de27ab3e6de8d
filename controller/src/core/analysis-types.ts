/** The result of one analysis step: what `cohort analyze` prints and what the status stores. */
import type { RewardComparison, VersionAssessment } from "./assess-types.js";

/** The decisions at one look; the shape shared by an {@link Analysis} and a stored status. */
export interface Decisions {
  /** 1 − confidence: the chance that any statement of the experiment is wrong, at any look. */
  alpha: number;
  /** How many statements share `alpha` (Bonferroni), and each one's level. */
  statements: number;
  alphaPerStatement: number;
  /** By version name, baseline first. */
  versions: Record<string, VersionAssessment>;
  /** Every pair of versions compared on the reward (both directions are read from one interval). */
  comparisons: RewardComparison[];
  winner: string | null;
  recommended: string;
  winnerReason: string;
  /** The weights to apply next (integers summing to 100). */
  weights: Record<string, number>;
}

export interface Analysis extends Decisions {
  /** The look this analysis is for (1 = the first). */
  iteration: number;
  /** True at the last look (maxIterations): undecided versions can no longer win. */
  final: boolean;
  /** The weights in force when the look was taken. */
  previousWeights: Record<string, number>;
  /** Versions the experiment names but the observations do not (treated as having no data). */
  missing: string[];
}
