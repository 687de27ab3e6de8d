/**
 * The race for the winner under Progressive A/B and A/B/n: which versions are still in it, and the
 * equal split among them that holds while the winner is being identified.
 *
 * One common weight keeps every pair of contenders at a 1:1 ratio from the first interval to the
 * last (an elimination changes the survivors' weight, not the ratio between two of them), so each
 * pair's pooling epoch (assess-pool.ts) keeps taking data; adaptive shares (Thompson sampling)
 * move at every look and leave only the split CS. Exposure to clearly bad versions stays low by
 * elimination instead: a failing version drops to 0 at once, a confidently worse one leaves the
 * race at the look that proves it.
 */

/**
 * The versions still in the race: not failing an objective, and not confidently worse on the
 * reward than a validated version that is not failing either. `better(u, v)`: u's reward is better
 * than v's with confidence.
 */
export function contenders(
  versions: readonly string[],
  failed: ReadonlySet<string>,
  validated: Readonly<Record<string, boolean | null>>,
  better: (u: string, v: string) => boolean,
): string[] {
  const alive = versions.filter((v) => !failed.has(v));
  return alive.filter((v) => !alive.some((u) => u !== v && validated[u] === true && better(u, v)));
}

/**
 * Integer weights: each contender gets ⌊100/k⌋, the points left over (100 mod k) go to the
 * baseline (the "excess to the baseline"), everyone else 0. No contender: all on the baseline.
 */
export function equalSplit(
  versions: readonly string[],
  inRace: readonly string[],
  baseline: string,
): Record<string, number> {
  const k = inRace.length;
  const each = k === 0 ? 0 : Math.floor(100 / k);
  const out = Object.fromEntries(versions.map((v) => [v, inRace.includes(v) ? each : 0]));
  out[baseline] = (out[baseline] ?? 0) + 100 - k * each;
  return out;
}

export interface RaceInput {
  versions: readonly string[];
  baseline: string;
  /** The versions still in the race ({@link contenders}). */
  inRace: readonly string[];
  /** Versions failing an objective: 0 at once. */
  failed: ReadonlySet<string>;
  /** The weights in force (integers summing to 100). */
  previous: Readonly<Record<string, number>>;
  maxCandidateWeight: number;
  maxCandidateWeightIncrement: number;
}

/**
 * The next weights while the winner is being identified: every contender gets the same integer
 * weight w — ⌊100/k⌋ for k contenders, but no candidate above `maxCandidateWeight` or more than
 * `maxCandidateWeightIncrement` above its weight now — so two contenders always share traffic 1:1.
 * The rest goes first to the versions that left the race on the reward (not failing), each up to
 * its weight now and in version order: their shares drain at the pace the contenders can absorb,
 * and the points 100 mod k left over by the integers do not break a contender pair's ratio. What
 * remains goes to the baseline (the "excess to the baseline"). Failing versions get 0.
 */
export function raceWeights(input: RaceInput): Record<string, number> {
  const { versions, baseline, inRace, failed, previous } = input;
  const out: Record<string, number> = Object.fromEntries(versions.map((v) => [v, 0]));
  const k = inRace.length;
  let w = k === 0 ? 0 : Math.floor(100 / k);
  for (const v of inRace)
    if (v !== baseline)
      w = Math.min(
        w,
        Math.floor(input.maxCandidateWeight),
        Math.floor((previous[v] ?? 0) + input.maxCandidateWeightIncrement),
      );
  w = Math.max(0, w);
  for (const v of inRace) out[v] = w;
  let rest = 100 - k * w;
  for (const v of versions) {
    if (rest <= 0) break;
    if (inRace.includes(v) || failed.has(v)) continue;
    const give = Math.min(rest, Math.max(0, Math.floor(previous[v] ?? 0)));
    out[v] = give;
    rest -= give;
  }
  out[baseline] = (out[baseline] ?? 0) + rest;
  return out;
}
