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
import type { ComparisonMethod, RewardAssessment, RewardComparison } from "./assess-types.js";
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

/** The difference `b − a` of the reward, or null when either side has no data. */
function difference(
  reward: Reward,
  metric: ResolvedMetric,
  a: VersionObservation | undefined,
  b: VersionObservation | undefined,
  alpha: number,
  method: ComparisonMethod,
): Interval | null {
  const kind = metricKind(metric);
  const how = method === "pooled" ? "asymptotic" : "split";
  if (kind === "rate") {
    const ra = rateOf(reward.metric, a);
    const rb = rateOf(reward.metric, b);
    if (ra === undefined || rb === undefined || ra.count === 0 || rb.count === 0) return null;
    return rateDifferenceConfidenceSequence(ra, rb, { alpha, method: how });
  }
  if (kind === "mean") {
    const ma = meanOf(reward.metric, a);
    const mb = meanOf(reward.metric, b);
    if (ma === undefined || mb === undefined || ma.count === 0 || mb.count === 0) return null;
    return meanDifferenceConfidenceSequence(ma, mb, { alpha, method: how });
  }
  // counts and quantiles: each version's own interval at α/2
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

/**
 * One pair's difference `b − a` and how it was built. The pooled CS while the pair's allocation is
 * fixed; once it is not, a pair that was pooled keeps its last interval (frozen: its assumption no
 * longer holds for new data, and switching to another sequence would spend α twice), a pair never
 * pooled uses the split CS. Only intervals of the same method are intersected over looks.
 */
function pairDifference(
  reward: Reward,
  metric: ResolvedMetric,
  a: string,
  b: string,
  observations: Record<string, VersionObservation>,
  opts: RewardOptions & { before: RewardComparison | undefined },
): { difference: Interval | null; method: ComparisonMethod } {
  const kind = metricKind(metric);
  const poolable = kind === "rate" || kind === "mean";
  const fixed = poolable && (opts.pooled?.(a, b) ?? false);
  const before = opts.before;
  if (!fixed && before?.method === "pooled")
    return { difference: before.difference, method: "pooled" };
  const method: ComparisonMethod = fixed ? "pooled" : "split";
  const current = difference(reward, metric, observations[a], observations[b], opts.alpha, method);
  const previous = before?.method === method ? before.difference : undefined;
  return {
    difference: current === null ? null : intersectIntervals(current, previous),
    method,
  };
}

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
      const { difference: d, method } = pairDifference(reward, metric, a, b, observations, {
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
