import { summarizeMean } from "./counts.js";
import { requireCount, StatisticsInputError } from "./errors.js";
import type { Rng } from "./rng.js";

/** One version's data for Thompson sampling. `trials` may be given as `count`. */
export type ArmObservation =
  | { kind: "rate"; successes: number; trials: number }
  | { kind: "rate"; successes: number; count: number }
  | { kind: "mean"; count: number; sum: number; sumSquares: number };

export interface ThompsonOptions {
  /** "high": larger is better (conversion); "low": smaller is better (latency, cost). */
  direction: "high" | "low";
  /** Posterior draws; the Monte Carlo error of each probability is ≤ 0.5/sqrt(draws). */
  draws: number;
  rng: Rng;
}

/** Per-draw leaders and, for each leader, how often each other arm came second. */
export interface ThompsonTally {
  best: number[];
  runnerUp: number[][];
  draws: number;
}

type Sampler = () => number;

/**
 * Posterior samplers: rates Beta(1 + S, 1 + t − S); means Normal(x̄, s²/n). A mean arm with fewer
 * than two values has no variance of its own and draws from Normal(pooled mean, pooled variance)
 * of all mean arms (a vague prior), or from Normal(0, 1) when no arm has two values.
 */
function samplers(arms: ArmObservation[], rng: Rng): Sampler[] {
  let pooledCount = 0;
  let pooledSum = 0;
  let pooledSquares = 0;
  for (const arm of arms) {
    if (arm.kind === "mean") {
      pooledCount += arm.count;
      pooledSum += arm.sum;
      pooledSquares += arm.sumSquares;
    }
  }
  const pooled = summarizeMean({ count: pooledCount, sum: pooledSum, sumSquares: pooledSquares });
  const vague =
    pooled.count >= 2 ? { mean: pooled.mean, sd: Math.sqrt(pooled.variance) } : { mean: 0, sd: 1 };
  return arms.map((arm, i) => {
    if (arm.kind === "rate") {
      const trials = "trials" in arm ? arm.trials : arm.count;
      requireCount(`arms[${i}].trials`, trials);
      requireCount(`arms[${i}].successes`, arm.successes);
      if (arm.successes > trials) {
        throw new StatisticsInputError(`arms[${i}].successes must not exceed arms[${i}].trials`);
      }
      const a = 1 + arm.successes;
      const b = 1 + trials - arm.successes;
      return () => rng.beta(a, b);
    }
    const s = summarizeMean(arm, `arms[${i}]`);
    if (s.count < 2) return () => vague.mean + vague.sd * rng.normal();
    const sd = Math.sqrt(s.variance / s.count);
    return () => s.mean + sd * rng.normal();
  });
}

/**
 * Draws `draws` joint posterior samples and counts which arm is best in each (ties share the
 * credit equally) and, per leader, which arm came second.
 */
export function thompsonTally(arms: ArmObservation[], opts: ThompsonOptions): ThompsonTally {
  if (arms.length === 0) throw new StatisticsInputError("arms must not be empty");
  if (!(Number.isInteger(opts.draws) && opts.draws >= 1)) {
    throw new StatisticsInputError(`draws must be an integer ≥ 1, got ${opts.draws}`);
  }
  const k = arms.length;
  const sample = samplers(arms, opts.rng);
  const sign = opts.direction === "low" ? -1 : 1;
  const best = new Array<number>(k).fill(0);
  const runnerUp = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const values = new Array<number>(k).fill(0);
  for (let d = 0; d < opts.draws; d++) {
    let top = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < k; i++) {
      const v = sign * (sample[i] as Sampler)();
      values[i] = v;
      if (v > top) top = v;
    }
    const leaders: number[] = [];
    let second = Number.NEGATIVE_INFINITY;
    let secondIndex = -1;
    for (let i = 0; i < k; i++) {
      const v = values[i] as number;
      if (v === top) leaders.push(i);
      else if (v > second) {
        second = v;
        secondIndex = i;
      }
    }
    for (const i of leaders) {
      best[i] = (best[i] as number) + 1 / leaders.length;
      const row = runnerUp[i] as number[];
      if (leaders.length > 1) {
        for (const j of leaders) if (j !== i) row[j] = (row[j] as number) + 1 / leaders.length;
      } else if (secondIndex >= 0) row[secondIndex] = (row[secondIndex] as number) + 1;
    }
  }
  return { best, runnerUp, draws: opts.draws };
}

/**
 * The posterior probability that each arm is best (Thompson sampling's allocation), estimated by
 * Monte Carlo with the given seeded generator: deterministic for a given rng state, sums to 1.
 * Rates use Beta(1 + S, 1 + F) posteriors; means a normal approximation Normal(x̄, s²/n).
 *
 * @example probabilityBest([{ kind: "rate", successes: 10, trials: 100 }, { kind: "rate", successes: 30, trials: 100 }], { direction: "high", draws: 10000, rng: createRng(1) })
 * // [0.0003, 0.9997]
 */
export function probabilityBest(arms: ArmObservation[], opts: ThompsonOptions): number[] {
  const tally = thompsonTally(arms, opts);
  return tally.best.map((c) => c / tally.draws);
}
