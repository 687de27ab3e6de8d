/**
 * Pooling epochs of a reward pair under Progressive weights. The pooled (asymptotic) difference CS
 * assumes a fixed allocation between the pair; Progressive weights move, but between moves they
 * can hold still (A/B and A/B/n keep every pair of contenders at 1:1 while identifying, from the
 * start: then the epoch runs from the first request, {@link epochFromStart}). Otherwise an epoch
 * starts at a look where the weights just set repeat the pair's ratio of the interval that ended;
 * its pooled CS reads only the data that come after (counts minus `since`). The start is decided
 * from data up to that look (a stopping time) and each version's later requests are i.i.d. and
 * independent of the past, so the epoch is a fixed-allocation experiment of its own. When the ratio
 * changes again the epoch is frozen for good: its last interval stays in the running intersection,
 * no new data enter it, and no second epoch starts — each pair spends its α once (see
 * docs/decisions.md, "Reward and better with confidence").
 */
import type { MeanObservation, RateObservation } from "./observations.js";

export type RewardCounts = RateObservation | MeanObservation;

export interface PoolEpoch {
  /** The pair's weights (against, version) in force throughout the epoch. */
  ratio: [number, number];
  /** Each side's reward counts when the epoch started; the epoch's data are what came after. */
  since: { a: RewardCounts; b: RewardCounts };
  /** The ratio changed after the epoch started: it no longer takes data. */
  frozen?: boolean;
}

/** Same ratio a:b, both served, compared without division. */
export function sameRatio(x: [number, number], y: [number, number]): boolean {
  return x[0] > 0 && x[1] > 0 && y[0] > 0 && y[1] > 0 && x[0] * y[1] === x[1] * y[0];
}

/** The counts that came after `since`. */
export function countsAfter(now: RewardCounts, since: RewardCounts): RewardCounts {
  if ("successes" in now && "successes" in since)
    return { count: now.count - since.count, successes: now.successes - since.successes };
  if ("sum" in now && "sum" in since)
    return {
      count: now.count - since.count,
      sum: now.sum - since.sum,
      sumSquares: now.sumSquares - since.sumSquares,
    };
  return now;
}

/**
 * The epoch that carries on past this look: unchanged while the interval that just ended kept its
 * ratio, frozen for good once it did not.
 */
export function continueEpoch(epoch: PoolEpoch, inForce: [number, number]): PoolEpoch {
  return epoch.frozen || sameRatio(epoch.ratio, inForce) ? epoch : { ...epoch, frozen: true };
}

/**
 * A new epoch for a pair that has none (and never had one), when the weights just set repeat the
 * ratio of the interval that ended: it takes the data from the next interval on.
 */
export function startEpoch(
  inForce: [number, number],
  next: [number, number],
  counts: { a: RewardCounts; b: RewardCounts },
): PoolEpoch | undefined {
  return sameRatio(inForce, next) ? { ratio: next, since: counts } : undefined;
}

/**
 * The epoch a pair has had since the first interval: when every allocation so far (the initial
 * weights, then each look's, oldest first) served both in one ratio, the pair is a fixed-allocation
 * experiment from its first request — the same as an epoch opened before any data and frozen at the
 * first change of ratio (a stopping time), so it reads every request from the start.
 */
export function epochFromStart(
  ratios: readonly [number, number][],
  zero: RewardCounts,
): PoolEpoch | undefined {
  const first = ratios[0];
  if (first === undefined || !ratios.every((r) => sameRatio(first, r))) return undefined;
  return { ratio: first, since: { a: zero, b: zero } };
}

/**
 * `previous` with an epoch from the start (see {@link epochFromStart}) on every pair of `versions`
 * that has none yet, for the next look's combined CS to continue. Pairs with an epoch, running or
 * frozen, are left alone: a pair never has two.
 */
export function openEpochsFromStart<
  C extends { version: string; against: string; pool?: PoolEpoch; method?: string },
>(
  previous: readonly C[],
  versions: readonly string[],
  allocations: readonly Record<string, number>[],
  zero: RewardCounts,
  blank: (version: string, against: string) => C,
): C[] {
  const out = [...previous];
  versions.forEach((a, i) => {
    for (const b of versions.slice(i + 1)) {
      const at = out.findIndex((c) => c.version === b && c.against === a);
      const before = at < 0 ? undefined : out[at];
      // a pair with an epoch already, or intervals of another method (another α) behind it
      if (before !== undefined && (before.pool !== undefined || before.method !== "combined"))
        continue;
      const pool = epochFromStart(
        allocations.map((w) => [w[a] ?? 0, w[b] ?? 0]),
        zero,
      );
      if (pool === undefined) continue;
      if (before === undefined) out.push({ ...blank(b, a), pool });
      else out[at] = { ...before, pool };
    }
  });
  return out;
}
