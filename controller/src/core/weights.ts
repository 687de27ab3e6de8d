/**
 * The next traffic weights (pure). Integers summing to 100, in the order of the versions.
 * - Conformance: the baseline gets 100.
 * - A candidate that fails an objective drops to 0 at once (rollback); its share goes to the
 *   baseline. This holds for FixedSplit too: a version that breaks its objectives loses its traffic.
 *   The baseline is never dropped: it is where traffic goes back to.
 * - FixedSplit: otherwise the weights never move.
 * - Progressive: toward a target — all on the winner once there is one; before that, Canary ramps the
 *   candidate; AB/ABN give every version still in the race the same weight (weights-race.ts
 *   `raceWeights`, its own caps), so each pair's ratio holds while the winner is identified. Each candidate rises by at most `maxCandidateWeightIncrement`
 *   per iteration and never above `maxCandidateWeight`; falls are not limited. A candidate `held`
 *   (an undecided objective whose estimate is past its limit, assess-lean.ts) does not rise at all
 *   until the estimate comes back or the objective is decided. The baseline takes what is left.
 */
import type { DeploymentPattern, TestingPattern } from "./experiment/schema.js";
import { raceWeights } from "./weights-race.js";
import { roundToPercent } from "./weights-rounding.js";

export interface WeightsInput {
  testingPattern: TestingPattern;
  deploymentPattern: DeploymentPattern;
  baseline: string;
  /** Every version, baseline first. */
  versions: string[];
  /** The weights now in force. Missing versions count as 0. */
  previous: Record<string, number>;
  /** Versions that fail an objective. */
  failed: ReadonlySet<string>;
  winner: string | null;
  /**
   * AB/ABN: the versions still in the race (weights-race.ts `contenders`), which share the traffic
   * equally while no winner is known. Default: every version not failing.
   */
  contenders?: readonly string[];
  maxCandidateWeight: number;
  maxCandidateWeightIncrement: number;
  /**
   * Progressive: candidates whose weight must not rise this step (an objective leans towards
   * failing); they may still fall. Ignored once there is a winner.
   */
  held?: ReadonlySet<string>;
}

export function nextWeights(input: WeightsInput): Record<string, number> {
  const { baseline, versions, failed } = input;
  if (input.testingPattern === "Conformance") {
    return Object.fromEntries(versions.map((v) => [v, v === baseline ? 100 : 0]));
  }
  const prev = normalise(input.previous, versions, baseline);
  const race =
    input.deploymentPattern === "Progressive" &&
    input.winner === null &&
    (input.testingPattern === "AB" || input.testingPattern === "ABN");
  if (race)
    return raceWeights({
      versions,
      baseline,
      inRace: (input.contenders ?? versions).filter((v) => !failed.has(v)),
      failed,
      previous: prev,
      maxCandidateWeight: input.maxCandidateWeight,
      maxCandidateWeightIncrement: input.maxCandidateWeightIncrement,
    });
  const target = input.deploymentPattern === "FixedSplit" ? { ...prev } : progressiveTarget(input);
  for (const v of failed) if (v !== baseline && v in target) target[v] = 0;
  return capCandidates(input, prev, target);
}

/** The previous weights as integers summing to 100 over `versions` (the baseline absorbs the rest). */
function normalise(
  weights: Record<string, number>,
  versions: string[],
  baseline: string,
): Record<string, number> {
  const out = Object.fromEntries(versions.map((v) => [v, Math.max(0, weights[v] ?? 0)]));
  const sum = Object.values(out).reduce((a, b) => a + b, 0);
  if (sum <= 0) return Object.fromEntries(versions.map((v) => [v, v === baseline ? 100 : 0]));
  return roundToPercent(out);
}

function progressiveTarget(input: WeightsInput): Record<string, number> {
  const { versions, baseline, failed, winner } = input;
  const alive = versions.filter((v) => !failed.has(v));
  const target: Record<string, number> = Object.fromEntries(versions.map((v) => [v, 0]));
  if (winner !== null) {
    target[winner] = 100;
    return target;
  }
  if (alive.length === 0) {
    target[baseline] = 100;
    return target;
  }
  for (const v of alive) if (v !== baseline) target[v] = 100;
  return target;
}

/** Applies the per-candidate caps to `target`, rounds, and gives what is left to the baseline. */
function capCandidates(
  input: WeightsInput,
  prev: Record<string, number>,
  target: Record<string, number>,
): Record<string, number> {
  const { baseline, versions } = input;
  const hold = (v: string) =>
    input.deploymentPattern === "Progressive" && input.winner === null && input.held?.has(v);
  const cap = (v: string) =>
    v === baseline
      ? 100
      : hold(v)
        ? (prev[v] ?? 0)
        : Math.min(input.maxCandidateWeight, (prev[v] ?? 0) + input.maxCandidateWeightIncrement);
  const capped: Record<string, number> = {};
  let candidatesTotal = 0;
  for (const v of versions) {
    if (v === baseline) continue;
    // a frozen or falling weight may sit above the cap; the cap only limits increases
    const limit = Math.max(cap(v), Math.min(prev[v] ?? 0, target[v] ?? 0));
    capped[v] = Math.min(target[v] ?? 0, limit);
    candidatesTotal += capped[v] ?? 0;
  }
  if (candidatesTotal > 100) {
    for (const v of Object.keys(capped)) capped[v] = ((capped[v] ?? 0) / candidatesTotal) * 100;
    candidatesTotal = 100;
  }
  const rounded = roundToPercent({ [baseline]: 100 - candidatesTotal, ...capped });
  // rounding up may push a candidate one point over its cap: give that point back to the baseline
  let excess = 0;
  for (const v of versions) {
    if (v === baseline) continue;
    const limit = Math.floor(Math.max(cap(v), Math.min(prev[v] ?? 0, target[v] ?? 0)));
    const w = rounded[v] ?? 0;
    if (w > limit) {
      excess += w - limit;
      rounded[v] = limit;
    }
  }
  rounded[baseline] = (rounded[baseline] ?? 0) + excess;
  return Object.fromEntries(versions.map((v) => [v, rounded[v] ?? 0]));
}
