/**
 * What the decisions say about each version: one verdict per objective, the reward estimate and
 * the pairwise reward differences. Every number is an estimate with its interval, so a person can
 * see why; `null` means there is no data to estimate from yet.
 */
import type { PoolEpoch } from "./assess-pool.js";
import type { Interval } from "./stats/interval.js";

/** The outcome of one objective for one version at one look. */
export type Verdict = "pass" | "fail" | "undecided";

export interface ObjectiveAssessment {
  metric: string;
  upperLimit?: number;
  lowerLimit?: number;
  status: Verdict;
  /** The metric's estimate with its confidence interval (a rate, a mean, or milliseconds for quantiles). */
  value: Interval | null;
  /**
   * For quantile objectives, what the verdict was read from: the share of requests slower than the
   * limit, with its interval ("p99 ≤ 50 ms" ⇔ "share above 50 ms ≤ 0.01").
   */
  exceedance?: Interval | null;
  /** One sentence saying why the verdict is what it is. */
  reason: string;
}

export interface RewardAssessment {
  metric: string;
  preferredDirection: "High" | "Low";
  value: Interval | null;
}

/**
 * A version's part in the experiment: the split's `baseline` and `candidate`s, or the `dark`
 * version that only receives mirrored copies (`spec.traffic.mirror`; its answers never reach users).
 */
export type VersionRole = "baseline" | "candidate" | "dark";

/** `validated`: true when every objective passes, false when any fails, null otherwise. */
export interface VersionAssessment {
  /** Absent in statuses written before roles existed (read as a split version). */
  role?: VersionRole;
  validated: boolean | null;
  objectives: ObjectiveAssessment[];
  /** Never for the dark version: its responses never reach users, so it has no reward. */
  reward?: RewardAssessment;
}

/**
 * The reward of `version` minus that of `against`, with its confidence sequence. `better` is true
 * when the interval excludes 0 on the preferred side, i.e. `version` is better with confidence.
 */
export interface RewardComparison {
  version: string;
  against: string;
  difference: Interval | null;
  better: boolean;
  /**
   * How the interval was built: "pooled" — the asymptotic CS of Waudby-Smith et al., used only
   * while the pair's allocation is fixed; "split" — each version's own CS at α/2, valid when the
   * allocation adapts. Absent in statuses written before this field existed (read as unknown).
   */
  method?: ComparisonMethod;
  /** "combined" only, on the `version` − `against` entry: the pair's pooling epoch (assess-pool.ts). */
  pool?: PoolEpoch;
}

/**
 * "pooled": the asymptotic CS at the pair's α (fixed allocation); "split": each version's own CS
 * at α/2; "combined" (Progressive): the split CS at α/2 ∩ the pooling epoch's asymptotic CS at α/2.
 */
export type ComparisonMethod = "pooled" | "split" | "combined";
