import type { Rng } from "../core/stats/index.js";

/** Below this mean (n·min(p, 1 − p)) draws are exact; above it, a normal approximation. */
export const EXACT_BINOMIAL_MEAN = 30;

/**
 * A Binomial(n, p) draw. Exact (inversion by sequential search) while the mean of the rarer
 * outcome is below {@link EXACT_BINOMIAL_MEAN}; above it, the normal approximation
 * round(np + sqrt(np(1 − p))·Z), clamped to 0 … n, whose error is far below the sampling noise the
 * decisions face. One uniform or one normal per draw, so it is cheap for large n.
 */
export function binomial(rng: Rng, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const flip = p > 0.5;
  const q = flip ? 1 - p : p;
  const mean = n * q;
  let x: number;
  if (mean < EXACT_BINOMIAL_MEAN) {
    const s = q / (1 - q);
    const a = (n + 1) * s;
    let r = (1 - q) ** n;
    let u = rng.next();
    x = 0;
    while (u > r && x < n) {
      u -= r;
      x++;
      r *= a / x - s;
    }
  } else {
    x = Math.round(mean + Math.sqrt(mean * (1 - q)) * rng.normal());
    x = Math.min(n, Math.max(0, x));
  }
  return flip ? n - x : x;
}

/**
 * A Multinomial(n, probs) draw by conditional binomials: category i gets Binomial(rest, p_i / mass
 * left). `probs` must sum to 1 (the last category takes what is left). Writes into `out`.
 */
export function multinomialInto(
  rng: Rng,
  n: number,
  probs: readonly number[],
  out: number[],
): void {
  let rest = n;
  let mass = 1;
  const last = probs.length - 1;
  for (let i = 0; i < last; i++) {
    const p = probs[i] as number;
    const x = rest > 0 && mass > 0 ? binomial(rng, rest, Math.min(1, p / mass)) : 0;
    out[i] = x;
    rest -= x;
    mass -= p;
  }
  out[last] = rest;
}
