import { normalCdf } from "./normal-cdf.js";
import { regularizedIncompleteBeta } from "./regularized-incomplete-beta.js";

/**
 * The two-sided tail P(|T| ≥ |t|) of Student's t with `df` > 0 degrees of freedom, through
 * I_{df/(df+t²)}(df/2, ½). Above 1e7 degrees of freedom the normal tail is used (they agree to
 * better than 1e-7 there, and the continued fraction would be slow).
 *
 * @example studentTTwoSided(2.0, 10) // 0.07338803477074018
 */
export function studentTTwoSided(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (!Number.isFinite(t)) return 0;
  if (df > 1e7) return 2 * normalCdf(-Math.abs(t));
  return regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
}
