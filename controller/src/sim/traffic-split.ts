import { SimulationInputError } from "./errors.js";

/**
 * How many requests of one interval each version serves: `total` split by percentage `weights`
 * in whole blocks (largest remainder), so the counts sum to `total`. Versions missing from
 * `weights` get none; weights that sum to 0 send everything to the first version.
 *
 * @example splitRequests(1000, { v1: 90, v2: 10 }, ["v1", "v2"], 50) // { v1: 900, v2: 100 }
 */
export function splitRequests(
  total: number,
  weights: Record<string, number>,
  versions: readonly string[],
  blockSize: number,
): Record<string, number> {
  if (!(Number.isInteger(total) && total >= 0 && total % blockSize === 0))
    throw new SimulationInputError(
      `requestsPerInterval must be a non-negative multiple of the block size ${blockSize}, got ${total}`,
    );
  const blocks = total / blockSize;
  const w = versions.map((v) => Math.max(0, weights[v] ?? 0));
  const sum = w.reduce((a, b) => a + b, 0);
  const exact =
    sum > 0 ? w.map((x) => (blocks * x) / sum) : versions.map((_, i) => (i === 0 ? blocks : 0));
  const whole = exact.map(Math.floor);
  let left = blocks - whole.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => ({ i, frac: x - Math.floor(x) }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    whole[i] = (whole[i] as number) + 1;
    left--;
  }
  return Object.fromEntries(versions.map((v, i) => [v, (whole[i] as number) * blockSize]));
}
