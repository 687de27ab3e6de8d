/**
 * The reward: each version's estimate with its interval, and for every pair of versions the
 * confidence sequence of their difference. "Better with confidence" means that interval excludes 0
 * on the preferred side. Rates and means use the pooled (asymptotic) CS of Waudby-Smith et al. —
 * far narrower — only while its assumption holds for the pair: a fixed allocation between the two
 * (`pooled`, see assess-allocation.ts). Otherwise, e.g. under Progressive weights, differences are
 * built from each version's own sequence at α/2 ([L_B − U_A, U_B − L_A]), which stays valid when
 * the allocation adapts. A pair whose allocation changes after pooled looks keeps its last pooled
 * interval (no new data enters it), so each pair is one confidence sequence at one α.
 */
import { intersectIntervals } from "./assess-intersect.js";
import { meanOf, quantileLevel, rateOf } from "./assess-objective.js";
import {
  continueEpoch,
  countsAfter,
  type PoolEpoch,
  type RewardCounts,
  startEpoch,
} from "./assess-pool.js";
import type { ComparisonMethod, RewardAssessment, RewardComparison } from "./assess-types.js";
import { CohortError } from "./errors.js";
import { metricKind, type ResolvedMetric, type Reward } from "./experiment/index.js";
import type { VersionObservation } from "./observations.js";
import {
  type ArmObservation,
  differenceOfIntervals,
  type Interval,
  meanConfidenceSequence,
  meanDifferenceConfidenceSequence,
  quantileConfidenceSequence,
  rateConfidenceSequence,
  rateDifferenceConfidenceSequence,
} from "./stats/index.js";

export interface RewardOptions {
  alpha: number;
  /**
   * Whether the allocation between two versions has been fixed so far (assess-allocation.ts): then
   * rates and means use the pooled asymptotic CS; otherwise the split one. Default: never.
   */
  pooled?: (a: string, b: string) => boolean;
  /**
   * Adaptive (Progressive) weights: the weights in force during the interval that just ended.
   * Rates and means then use the split CS at α/2 intersected with the pair's pooling epoch at α/2
   * (assess-pool.ts); `pooled` is ignored.
   */
  inForce?: Record<string, number>;
  /** The comparisons of the previous look at the same α, to intersect with (assess-intersect.ts). */
  previous?: RewardComparison[];
}

/** The version's reward estimate with its interval; null when there is no data. */
export function rewardInterval(
  reward: Reward,
  metric: ResolvedMetric,
  obs: VersionObservation | undefined,
  alpha: number,
): Interval | null {
  switch (metricKind(metric)) {
    case "count": {
      const n = obs?.requests ?? 0;
      return { estimate: n, lower: n, upper: n };
    }
    case "rate": {
      const r = rateOf(reward.metric, obs);
      return r === undefined || r.count === 0 ? null : rateConfidenceSequence(r, { alpha });
    }
    case "mean": {
      const m = meanOf(reward.metric, obs);
      return m === undefined || m.count === 0 ? null : meanConfidenceSequence(m, { alpha });
    }
    case "quantile": {
      const h = obs?.latency;
      if (h === undefined || h.counts.every((c) => c === 0)) return null;
      return quantileConfidenceSequence(h, quantileLevel(metric), { alpha });
    }
  }
}

export function assessReward(
  reward: Reward,
  metric: ResolvedMetric,
  obs: VersionObservation | undefined,
  alpha: number,
): RewardAssessment {
  return {
    metric: reward.metric,
    preferredDirection: reward.preferredDirection,
    value: rewardInterval(reward, metric, obs, alpha),
  };
}

/** The reward's counts of a rate or mean reward, or undefined (no data, or another kind). */
function rewardCounts(
  reward: Reward,
  metric: ResolvedMetric,
  obs: VersionObservation | undefined,
): RewardCounts | undefined {
  const kind = metricKind(metric);
  const c =
    kind === "rate"
      ? rateOf(reward.metric, obs)
      : kind === "mean"
        ? meanOf(reward.metric, obs)
        : undefined;
  return c === undefined || c.count === 0 ? undefined : c;
}

/** The difference `b − a` of two rate or mean rewards' counts. */
function countsDifference(
  a: RewardCounts,
  b: RewardCounts,
  alpha: number,
  how: "asymptotic" | "split",
): Interval {
  if ("successes" in a && "successes" in b)
    return rateDifferenceConfidenceSequence(a, b, { alpha, method: how });
  if ("sum" in a && "sum" in b)
    return meanDifferenceConfidenceSequence(a, b, { alpha, method: how });
  throw new CohortError("a reward compared a rate with a mean");
}

/** Counts and quantiles: each version's own interval at α/2; null when either side has no data. */
function splitDifference(
  reward: Reward,
  metric: ResolvedMetric,
  a: VersionObservation | undefined,
  b: VersionObservation | undefined,
  alpha: number,
): Interval | null {
  const ia = rewardInterval(reward, metric, a, alpha / 2);
  const ib = rewardInterval(reward, metric, b, alpha / 2);
  return ia === null || ib === null ? null : differenceOfIntervals(ia, ib);
}

function isBetter(d: Interval | null, direction: Reward["preferredDirection"]): boolean {
  if (d === null) return false;
  return direction === "High" ? d.lower > 0 : d.upper < 0;
}

const negate = (d: Interval | null): Interval | null =>
  d === null ? null : { estimate: -d.estimate, lower: -d.upper, upper: -d.lower };

interface PairResult {
  difference: Interval | null;
  method: ComparisonMethod;
  pool?: PoolEpoch;
}

/**
 * One pair's difference `b − a` and how it was built (the `method` of {@link RewardComparison}).
 * Intervals are intersected over looks only with a previous one of the same method.
 */
function pairDifference(
  reward: Reward,
  metric: ResolvedMetric,
  a: string,
  b: string,
  observations: Record<string, VersionObservation>,
  opts: RewardOptions & { before: RewardComparison | undefined },
): PairResult {
  const { alpha, before } = opts;
  const ca = rewardCounts(reward, metric, observations[a]);
  const cb = rewardCounts(reward, metric, observations[b]);
  const poolable = metricKind(metric) === "rate" || metricKind(metric) === "mean";
  const keep = (current: Interval | null, method: ComparisonMethod): Interval | null =>
    current === null
      ? null
      : intersectIntervals(current, before?.method === method ? before.difference : undefined);
  if (!poolable)
    return {
      difference: keep(
        splitDifference(reward, metric, observations[a], observations[b], alpha),
        "split",
      ),
      method: "split",
    };
  if (opts.inForce !== undefined) {
    // adaptive weights: the split CS at α/2 on all data ∩ the pair's pooling epoch at α/2
    const inForce: [number, number] = [opts.inForce[a] ?? 0, opts.inForce[b] ?? 0];
    const epoch =
      before?.method === "combined" && before.pool !== undefined
        ? continueEpoch(before.pool, inForce)
        : undefined;
    const withPool = (r: PairResult): PairResult =>
      epoch === undefined ? r : { ...r, pool: epoch };
    if (ca === undefined || cb === undefined)
      return withPool({ difference: null, method: "combined" });
    let current = countsDifference(ca, cb, alpha / 2, "split");
    if (epoch !== undefined && !epoch.frozen) {
      const pa = countsAfter(ca, epoch.since.a);
      const pb = countsAfter(cb, epoch.since.b);
      if (pa.count > 0 && pb.count > 0)
        current = intersectIntervals(current, countsDifference(pa, pb, alpha / 2, "asymptotic"));
    }
    return withPool({ difference: keep(current, "combined"), method: "combined" });
  }
  // fixed weights: pooled at α while the pair's allocation is fixed; a pair that was pooled and no
  // longer is keeps its last interval (frozen); a pair never pooled uses the split CS
  const fixed = opts.pooled?.(a, b) ?? false;
  if (!fixed && before?.method === "pooled")
    return { difference: before.difference, method: "pooled" };
  const method: ComparisonMethod = fixed ? "pooled" : "split";
  if (ca === undefined || cb === undefined) return { difference: null, method };
  return {
    difference: keep(countsDifference(ca, cb, alpha, fixed ? "asymptotic" : "split"), method),
    method,
  };
}

/**
 * Starts a pooling epoch for every pair compared under adaptive weights that never had one, when
 * the weights just set (`next`) repeat the pair's ratio of the interval that ended (`inForce`).
 * Only a pair's forward entry (the first of its two, as {@link compareRewards} lists them) carries
 * the epoch: the reverse one is its negation, and an epoch of its own would read as a second
 * statement spending α again.
 */
export function startPoolingEpochs(
  comparisons: RewardComparison[],
  reward: Reward,
  metric: ResolvedMetric,
  observations: Record<string, VersionObservation>,
  inForce: Record<string, number>,
  next: Record<string, number>,
): RewardComparison[] {
  const seen = new Set<string>();
  return comparisons.map((c) => {
    const reverse = seen.has(`${c.against}\u0000${c.version}`);
    seen.add(`${c.version}\u0000${c.against}`);
    if (reverse || c.method !== "combined" || c.pool !== undefined) return c;
    const a = c.against;
    const b = c.version;
    const ca = rewardCounts(reward, metric, observations[a]) ?? zeroCounts(metric);
    const cb = rewardCounts(reward, metric, observations[b]) ?? zeroCounts(metric);
    const pair = (w: Record<string, number>): [number, number] => [w[a] ?? 0, w[b] ?? 0];
    const pool = startEpoch(pair(inForce), pair(next), { a: ca, b: cb });
    return pool === undefined ? c : { ...c, pool };
  });
}

const zeroCounts = (metric: ResolvedMetric): RewardCounts =>
  metricKind(metric) === "rate" ? { count: 0, successes: 0 } : { count: 0, sum: 0, sumSquares: 0 };

/** Both directions of every pair of `versions`, in version order. */
export function compareRewards(
  reward: Reward,
  metric: ResolvedMetric,
  versions: string[],
  observations: Record<string, VersionObservation>,
  opts: RewardOptions,
): RewardComparison[] {
  const out: RewardComparison[] = [];
  versions.forEach((a, i) => {
    for (const b of versions.slice(i + 1)) {
      const before = opts.previous?.find((c) => c.version === b && c.against === a);
      const {
        difference: d,
        method,
        pool,
      } = pairDifference(reward, metric, a, b, observations, {
        ...opts,
        before,
      });
      const back = negate(d);
      out.push({
        version: b,
        against: a,
        difference: d,
        better: isBetter(d, reward.preferredDirection),
        method,
        ...(pool === undefined ? {} : { pool }),
      });
      out.push({
        version: a,
        against: b,
        difference: back,
        better: isBetter(back, reward.preferredDirection),
        method,
      });
    }
  });
  return out;
}

/** The reward as a Thompson-sampling arm, or undefined when the metric cannot be sampled. */
export function rewardArm(
  reward: Reward,
  metric: ResolvedMetric,
  obs: VersionObservation | undefined,
): ArmObservation | undefined {
  const kind = metricKind(metric);
  if (kind === "rate") {
    const r = rateOf(reward.metric, obs) ?? { count: 0, successes: 0 };
    return { kind: "rate", successes: r.successes, count: r.count };
  }
  if (kind === "mean") {
    const m = meanOf(reward.metric, obs) ?? { count: 0, sum: 0, sumSquares: 0 };
    return { kind: "mean", ...m };
  }
  return undefined;
}
