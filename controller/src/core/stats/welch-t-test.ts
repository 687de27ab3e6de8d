import type { MeanObservation } from "../observations.js";
import { summarizeMean } from "./counts.js";
import { studentTTwoSided } from "./student-t.js";

/**
 * Welch's unequal-variance t-test of H0: μ_A = μ_B from running sums, t = (x̄_B − x̄_A) / SE with
 * Welch–Satterthwaite degrees of freedom; two-sided. Matches SciPy's
 * `ttest_ind_from_stats(equal_var=False)` with the arms swapped. Valid at ONE fixed sample size
 * only (the benchmark's baseline). Fewer than two values in an arm: t and df NaN, p = 1. Both
 * variances zero: t = ±Infinity and p = 0 when the means differ, t = 0 and p = 1 when not.
 *
 * @example welchTTest({ count: 50, sum: 500, sumSquares: 5200 }, { count: 60, sum: 660, sumSquares: 7500 })
 * // { t: 2.586915079709736, df: 104.38916750250753, pValue: 0.011060707757287503 }
 */
export function welchTTest(
  a: MeanObservation,
  b: MeanObservation,
): { t: number; df: number; pValue: number } {
  const sa = summarizeMean(a, "a");
  const sb = summarizeMean(b, "b");
  if (sa.count < 2 || sb.count < 2) return { t: Number.NaN, df: Number.NaN, pValue: 1 };
  const va = sa.variance / sa.count;
  const vb = sb.variance / sb.count;
  const diff = sb.mean - sa.mean;
  const se2 = va + vb;
  if (se2 === 0) {
    const df = sa.count + sb.count - 2;
    return diff === 0
      ? { t: 0, df, pValue: 1 }
      : { t: diff > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY, df, pValue: 0 };
  }
  const t = diff / Math.sqrt(se2);
  const df = (se2 * se2) / ((va * va) / (sa.count - 1) + (vb * vb) / (sb.count - 1));
  return { t, df, pValue: Math.min(1, studentTTwoSided(t, df)) };
}
