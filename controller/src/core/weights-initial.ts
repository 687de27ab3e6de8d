/**
 * The weights an experiment starts from: the versions' `weight` fields when given (the rest of 100
 * split evenly among versions without one); otherwise FixedSplit splits evenly, Conformance and
 * Progressive start with everything on the baseline (Progressive then ramps candidates up).
 */
import type { ExperimentSpec } from "./experiment/schema.js";
import { roundToPercent } from "./weights-rounding.js";

export function initialWeights(spec: ExperimentSpec): Record<string, number> {
  const versions = [spec.baseline, ...(spec.candidates ?? [])];
  const baseline = spec.baseline.name;
  if (spec.testingPattern === "Conformance") return { [baseline]: 100 };
  const given = versions.filter((v) => v.weight !== undefined);
  if (given.length === 0) {
    if (spec.deploymentPattern === "FixedSplit")
      return roundToPercent(Object.fromEntries(versions.map((v) => [v.name, 1])));
    return Object.fromEntries(versions.map((v) => [v.name, v.name === baseline ? 100 : 0]));
  }
  const sumGiven = given.reduce((s, v) => s + (v.weight ?? 0), 0);
  const others = versions.length - given.length;
  const rest = Math.max(0, 100 - sumGiven);
  const shares = Object.fromEntries(
    versions.map((v) => [v.name, v.weight ?? (others > 0 ? rest / others : 0)]),
  );
  return roundToPercent(shares);
}
