/**
 * The problems of a weights record (percent by version), each naming its field: a weight of an
 * unknown version (when `versions` is given), or weights that do not sum to 100. Weights are never silently rescaled, since
 * rescaling `{ v1: 20, v2: 20 }` would hide a broken metrics source behind a plausible 50/50.
 *
 * @example weightsProblems({ v1: 20, v2: 20 }, ["v1", "v2"], "currentWeights") // ["currentWeights: the weights sum to 40, expected 100"]
 */
export function weightsProblems(
  weights: Record<string, number>,
  versions: readonly string[] | undefined,
  field: string,
): string[] {
  const problems: string[] = [];
  for (const v of Object.keys(weights))
    if (versions !== undefined && !versions.includes(v))
      problems.push(`${field}.${v}: unknown version (expected one of ${versions.join(", ")})`);
  const sum = Object.values(weights).reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 100) > 1e-6)
    problems.push(`${field}: the weights sum to ${sum}, expected 100`);
  return problems;
}
