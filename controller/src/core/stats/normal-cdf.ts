const INV_SQRT_TWO_PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * The standard normal density φ(z). For large |z| the exponent z²/2 is split as
 * zr²/2 + (z − zr)(z + zr)/2 with zr = z rounded to 1/16 (exact in binary), so the rounding of
 * z² does not cost relative accuracy far in the tails (as R's pnorm does).
 *
 * @example normalPdf(0) // 0.3989422804014327
 */
export function normalPdf(z: number): number {
  if (Math.abs(z) < 5) return INV_SQRT_TWO_PI * Math.exp(-0.5 * z * z);
  const zr = Math.trunc(z * 16) / 16;
  const d = (z - zr) * (z + zr);
  return INV_SQRT_TWO_PI * Math.exp(-0.5 * zr * zr) * Math.exp(-0.5 * d);
}

/** Upper tail Q(z) = 1 − Φ(z) for z ≥ 3 by the Laplace continued fraction φ(z)/(z + 1/(z + 2/(z + …))). */
function upperTailContinuedFraction(z: number): number {
  // Modified Lentz on K = z + 1/(z + 2/(z + 3/(z + …))).
  const tiny = 1e-300;
  let f = z;
  let c = z;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    d = z + n * d;
    d = d === 0 ? tiny : 1 / d;
    c = z + n / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return normalPdf(z) / f;
}

/** Φ(z) − ½ for |z| < 3 by the series φ(z)·Σ z^(2n+1)/(2n+1)!!, whose terms are all positive. */
function centralSeries(z: number): number {
  const z2 = z * z;
  let term = z;
  let sum = z;
  for (let n = 1; n < 200; n++) {
    term *= z2 / (2 * n + 1);
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return normalPdf(z) * sum;
}

/**
 * The standard normal cumulative distribution function Φ(z) = P(Z ≤ z). A series for |z| < 3
 * and a continued fraction in the tails keep the relative error near 1e-15 even far in the lower
 * tail (Φ(−30) ≈ 4.9e-198), so tiny p-values stay meaningful.
 *
 * @example normalCdf(1.959963984540054) // 0.9750000000000001
 */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z === Number.POSITIVE_INFINITY) return 1;
  if (z === Number.NEGATIVE_INFINITY) return 0;
  if (z <= -3) return z < -40 ? 0 : upperTailContinuedFraction(-z);
  if (z >= 3) return z > 40 ? 1 : 1 - upperTailContinuedFraction(z);
  return 0.5 + centralSeries(z);
}

/**
 * The standard normal upper tail 1 − Φ(z), accurate where 1 − normalCdf(z) would round to 0.
 *
 * @example normalSurvival(10) // 7.619853024160523e-24 (R: 7.6198530241605269e-24)
 */
export function normalSurvival(z: number): number {
  return normalCdf(-z);
}
