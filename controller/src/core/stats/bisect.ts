/** Relative tolerance on the width of the final bracket (about 33 bits). */
export const BISECTION_RELATIVE_TOLERANCE = 1e-10;
/** Enough halvings to reach the tolerance from any bracket inside (0, 1] down to ~1e-300. */
export const BISECTION_MAX_ITERATIONS = 200;

/**
 * The boundary of the set {x : inside(x)} on [lo, hi], where `inside` holds at one end and not at
 * the other and flips once in between. Returns the end of the final bracket on the *outside*, so an
 * interval built from it is never narrower than the exact one (conservative by ≤ the tolerance).
 * Stops when the bracket is narrower than `relativeTolerance` × the larger magnitude of its ends
 * (or `absoluteTolerance`, whichever is larger).
 */
export function bisectBoundary(
  inside: (x: number) => boolean,
  insideEnd: number,
  outsideEnd: number,
  relativeTolerance = BISECTION_RELATIVE_TOLERANCE,
  absoluteTolerance = 0,
): number {
  let a = insideEnd;
  let b = outsideEnd;
  for (let i = 0; i < BISECTION_MAX_ITERATIONS; i++) {
    const width = Math.abs(b - a);
    if (
      width <= Math.max(relativeTolerance * Math.max(Math.abs(a), Math.abs(b)), absoluteTolerance)
    ) {
      break;
    }
    const mid = a + (b - a) / 2;
    if (mid === a || mid === b) break;
    if (inside(mid)) a = mid;
    else b = mid;
  }
  return b;
}
