/**
 * The seed rules that pick a winner from the verdicts (pure; one focused test per rule):
 * - AB and ABN: the validated version whose reward is better with confidence than every other
 *   contender's. Contenders are the versions not known to fail, at every look including the last:
 *   a rival that is merely undecided (even one with no requests) must still be beaten with
 *   confidence. Only a validated version whose every rival has failed wins without a comparison.
 * - Canary: the candidate if validated, else the baseline if validated.
 * - Conformance: the baseline if validated.
 * Until a rule fires there is no winner yet; at the last look with none, there is no winner.
 * The recommended version is the winner, else the baseline.
 */
import type { TestingPattern } from "./experiment/schema.js";

export interface WinnerInput {
  testingPattern: TestingPattern;
  baseline: string;
  /** Every version, baseline first. */
  versions: string[];
  validated: Record<string, boolean | null>;
  /** True when `a`'s reward is better than `b`'s with confidence. */
  better: (a: string, b: string) => boolean;
  /** The last look (maxIterations reached): undecided versions can no longer win, but still count as rivals. */
  final: boolean;
}

export interface WinnerDecision {
  winner: string | null;
  recommended: string;
  /** One sentence saying why. */
  reason: string;
}

export function decideWinner(input: WinnerInput): WinnerDecision {
  const decided = (winner: string | null, reason: string): WinnerDecision => ({
    winner,
    recommended: winner ?? input.baseline,
    reason,
  });
  const { validated, baseline, final } = input;
  switch (input.testingPattern) {
    case "Conformance":
      if (validated[baseline] === true) return decided(baseline, `${baseline} is validated.`);
      if (validated[baseline] === false)
        return decided(null, `${baseline} fails an objective, so there is no winner.`);
      return decided(null, noneYet(final, `${baseline} is not validated yet`));
    case "Canary":
      return canaryWinner(input, decided);
    default:
      return rewardWinner(input, decided);
  }
}

type Decided = (winner: string | null, reason: string) => WinnerDecision;

function noneYet(final: boolean, why: string): string {
  return final
    ? `No winner: ${why} at the end of the experiment; the baseline is recommended.`
    : `No winner yet: ${why}.`;
}

function canaryWinner(input: WinnerInput, decided: Decided): WinnerDecision {
  const { validated, baseline, final } = input;
  const candidate = input.versions.find((v) => v !== baseline);
  if (candidate === undefined) return decided(null, "There is no candidate.");
  const c = validated[candidate] ?? null;
  if (c === true) return decided(candidate, `The candidate ${candidate} is validated.`);
  if (c === null && !final)
    return decided(null, noneYet(false, `the candidate ${candidate} is not validated yet`));
  const why =
    c === false ? `the candidate ${candidate} fails an objective` : `${candidate} stayed undecided`;
  if (validated[baseline] === true)
    return decided(baseline, `${capitalize(why)} and the baseline ${baseline} is validated.`);
  if (validated[baseline] === null && !final)
    return decided(null, noneYet(false, `${why} and the baseline is not validated yet`));
  return decided(null, `No winner: ${why} and the baseline ${baseline} is not validated.`);
}

function rewardWinner(input: WinnerInput, decided: Decided): WinnerDecision {
  const { validated, final, better } = input;
  // a rival that has not failed stays a contender at the last look too: winning against it needs a
  // reward that is better with confidence, not just its missing validation
  const contenders = input.versions.filter((v) => validated[v] !== false);
  const candidates = contenders.filter((v) => validated[v] === true);
  for (const v of candidates) {
    const rivals = contenders.filter((r) => r !== v);
    if (rivals.length === 0)
      return decided(v, `${v} is validated and every other version fails an objective.`);
    if (rivals.every((r) => better(v, r)))
      return decided(
        v,
        `${v} is validated and its reward is better with confidence than ${list(rivals)}'s.`,
      );
  }
  if (contenders.length === 0) return decided(null, `No winner: no version is validated.`);
  if (candidates.length === 0) return decided(null, noneYet(final, "no version is validated"));
  return decided(
    null,
    noneYet(final, `no validated version's reward is better with confidence than every other's`),
  );
}

function list(names: string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
