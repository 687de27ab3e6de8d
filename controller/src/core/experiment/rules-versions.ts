/** Cross-field rules on the versions: how many the pattern allows, unique names, initial weights. */

import type { RawProblem } from "./check-schema.js";
import { isRecord, type Json, listOf, numberOf, recordOf, stringOf } from "./json.js";
import { renderPath } from "./problems.js";

function candidateCount(pattern: unknown, names: string[]): string | undefined {
  const found = names.length === 0 ? "found none" : `found ${names.length}: ${names.join(", ")}`;
  switch (pattern) {
    case "Conformance":
      return names.length === 0
        ? undefined
        : `Conformance tests the baseline alone; remove the candidates (${found})`;
    case "Canary":
    case "AB":
      return names.length === 1 ? undefined : `${pattern} needs exactly one candidate, ${found}`;
    case "ABN":
      return names.length >= 2
        ? undefined
        : `ABN needs two or more candidates, ${found}${names.length === 1 ? " (use AB for one)" : ""}`;
    default:
      return undefined;
  }
}

function duplicateNames(spec: Json): RawProblem[] {
  const out: RawProblem[] = [];
  const seen = new Map<string, string>();
  const entries: [(string | number)[], unknown][] = [[["spec", "baseline"], spec.baseline]];
  listOf(spec.candidates).forEach((c, i) => {
    entries.push([["spec", "candidates", i], c]);
  });
  for (const [at, version] of entries) {
    const name = stringOf(recordOf(version).name);
    if (name === undefined) continue;
    const first = seen.get(name);
    if (first !== undefined) {
      out.push({
        at: [...at, "name"],
        message: `duplicate version name "${name}" (also ${first})`,
      });
    } else {
      seen.set(name, renderPath([...at, "name"]));
    }
  }
  return out;
}

function initialWeights(spec: Json): RawProblem[] {
  if (spec.testingPattern === "Conformance") return [];
  const versions = [spec.baseline, ...listOf(spec.candidates)].filter(isRecord);
  const weights = versions.map((v) => numberOf(v.weight));
  const given = weights.filter((w): w is number => w !== undefined);
  // A weight the schema already rejects would only make the sum confusing.
  if (given.length === 0 || given.some((w) => !Number.isInteger(w) || w < 0 || w > 100)) return [];
  const total = given.reduce((a, b) => a + b, 0);
  const at = ["spec", "baseline", "weight"];
  if (given.length === weights.length && total !== 100) {
    return [{ at, message: `the versions' weights add up to ${total}, not 100` }];
  }
  if (total > 100)
    return [{ at, message: `the versions' weights add up to ${total}, more than 100` }];
  const cap = numberOf(recordOf(spec.weights).maxCandidateWeight);
  const out: RawProblem[] = [];
  listOf(spec.candidates).forEach((c, i) => {
    const w = numberOf(recordOf(c).weight);
    if (cap !== undefined && w !== undefined && w > cap) {
      out.push({
        at: ["spec", "candidates", i, "weight"],
        message: `${w} is above spec.weights.maxCandidateWeight (${cap})`,
      });
    }
  });
  return out;
}

export function versionRules(spec: Json): RawProblem[] {
  const names = listOf(spec.candidates).map((c) => stringOf(recordOf(c).name) ?? "(unnamed)");
  const count = candidateCount(spec.testingPattern, names);
  return [
    ...(count === undefined ? [] : [{ at: ["spec", "candidates"], message: count }]),
    ...duplicateNames(spec),
    ...initialWeights(spec),
  ];
}
