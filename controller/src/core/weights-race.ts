/**
 * The race for the winner under Progressive A/B and A/B/n: which versions are still in it, and the
 * equal split among them that holds while the winner is being identified.
 *
 * Equal shares keep every pair of contenders at a 1:1 ratio from the first interval to the last
 * (an elimination changes each survivor's share, not the ratio between two survivors), so each
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
