const HALF_LN_TWO_PI = 0.5 * Math.log(2 * Math.PI);

// Stirling series coefficients B_2k / (2k (2k − 1)) for k = 1..8.
const STIRLING = [
  1 / 12,
  -1 / 360,
  1 / 1260,
  -1 / 1680,
  1 / 1188,
  -691 / 360360,
  1 / 156,
  -3617 / 122400,
];

/**
 * The remainder of Stirling's formula, lnΓ(x) − [(x − ½)ln x − x + ½ln 2π], for x ≥ 10, to about
 * 1e-17 (eight terms of the asymptotic series; the ninth is below 1e-17 at x = 10). Used by
 * {@link lnBeta} to avoid the cancellation of three huge lnΓ values.
 *
 * @example stirlingRemainder(10) // 0.00833056343336287
 */
export function stirlingRemainder(x: number): number {
  const inv = 1 / x;
  const inv2 = inv * inv;
  let sum = 0;
  for (let k = STIRLING.length - 1; k >= 0; k--) sum = sum * inv2 + (STIRLING[k] as number);
  return sum * inv;
}

/**
 * The natural logarithm of the gamma function for x > 0 (NaN otherwise). For x ≥ 10 Stirling's
 * series; below, the recurrence Γ(x) = Γ(x + n) / (x(x+1)…(x+n−1)) shifts x up to 10. Relative
 * error about 1e-15 over (0, 1e300).
 *
 * @example lnGamma(0.5) // 0.5723649429246986 (ln √π = 0.5723649429247001)
 */
export function lnGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return x;
  if (x === 1 || x === 2) return 0;
  if (x >= 10) return (x - 0.5) * Math.log(x) - x + HALF_LN_TWO_PI + stirlingRemainder(x);
  let product = 1;
  let y = x;
  while (y < 10) {
    product *= y;
    y += 1;
  }
  return (y - 0.5) * Math.log(y) - y + HALF_LN_TWO_PI + stirlingRemainder(y) - Math.log(product);
}
