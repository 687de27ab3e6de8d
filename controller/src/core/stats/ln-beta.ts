import { lnGamma, stirlingRemainder } from "./ln-gamma.js";

const HALF_LN_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/**
 * The natural logarithm of the beta function B(a, b) = Γ(a)Γ(b)/Γ(a+b) for a, b > 0 (NaN
 * otherwise). Large arguments use Stirling remainders (R's `lbeta` approach) so that
 * lnB(1e7, 1e9) keeps full relative precision instead of subtracting numbers near 2e10.
 *
 * @example lnBeta(0.5, 49.5) // -1.3760961822742048
 */
export function lnBeta(a: number, b: number): number {
  if (!(a > 0 && b > 0)) return Number.NaN;
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  if (q === Number.POSITIVE_INFINITY) return Number.NEGATIVE_INFINITY;
  const sum = p + q;
  if (p >= 10) {
    const corr = stirlingRemainder(p) + stirlingRemainder(q) - stirlingRemainder(sum);
    return (
      -0.5 * Math.log(q) +
      HALF_LN_TWO_PI +
      corr +
      (p - 0.5) * Math.log(p / sum) +
      q * Math.log1p(-p / sum)
    );
  }
  if (q >= 10) {
    const corr = stirlingRemainder(q) - stirlingRemainder(sum);
    return lnGamma(p) + corr + p - p * Math.log(sum) + (q - 0.5) * Math.log1p(-p / sum);
  }
  return lnGamma(p) + lnGamma(q) - lnGamma(sum);
}
