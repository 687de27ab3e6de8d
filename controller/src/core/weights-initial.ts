/**
 * The weights an experiment starts from: the versions' `weight` fields when given (the rest of 100
 * split evenly among versions without one). Otherwise:
 * - FixedSplit splits evenly; Conformance puts everything on the baseline;
 * - Progressive Canary starts the candidate at one increment (`maxCandidateWeightIncrement`, at
 *   most `maxCandidateWeight`), so candidate data arrive from the first interval on;
 * - Progressive A/B and A/B/n start at the equal split they keep while identifying the winner
 *   (weights-race.ts), each candidate at most `maxCandidateWeight`, the excess on the baseline.
 */
import { withDefaults } from "./experiment/defaults.js";
import type { ExperimentSpec } from "./experiment/schema.js";
import { equalSplit } from "./weights-race.js";
import { roundToPercent } from "./weights-rounding.js";

export function initialWeights(spec: ExperimentSpec): Record<string, number> {
  const r = withDefaults(spec);
  const versions = [r.baseline, ...r.candidates];
  const baseline = r.baseline.name;
  if (r.testingPattern === "Conformance") return { [baseline]: 100 };
  const given = versions.filter((v) => v.weight !== undefined);
  if (given.length === 0) {
    const names = versions.map((v) => v.name);
    if (r.deploymentPattern === "FixedSplit")
      return roundToPercent(Object.fromEntries(names.map((v) => [v, 1])));
    const { maxCandidateWeight, maxCandidateWeightIncrement } = r.weights;
    const start =
      r.testingPattern === "Canary"
        ? Object.fromEntries(
            names.map((v) => [v, v === baseline ? 0 : maxCandidateWeightIncrement]),
          )
        : equalSplit(names, names, baseline);
    return capToBaseline(start, baseline, maxCandidateWeight);
  }
  const sumGiven = given.reduce((s, v) => s + (v.weight ?? 0), 0);
  const others = versions.length - given.length;
  const rest = Math.max(0, 100 - sumGiven);
  const shares = Object.fromEntries(
    versions.map((v) => [v.name, v.weight ?? (others > 0 ? rest / others : 0)]),
  );
  return roundToPercent(shares);
}

/** Each candidate at most `max` (integers), the baseline takes the rest of 100. */
function capToBaseline(
  weights: Record<string, number>,
  baseline: string,
  max: number,
): Record<string, number> {
  const out: Record<string, number> = {};
  let candidates = 0;
  for (const [v, w] of Object.entries(weights)) {
    if (v === baseline) continue;
    out[v] = Math.min(w, Math.floor(max));
    candidates += out[v] ?? 0;
  }
  return { [baseline]: 100 - candidates, ...out };
}
