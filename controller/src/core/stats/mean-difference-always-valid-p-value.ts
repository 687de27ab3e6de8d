import type { MeanObservation } from "../observations.js";
import { csVariance, summarizeMean } from "./counts.js";
import { requireCount, requireOpenUnit, requirePositive } from "./errors.js";
import { DEFAULT_MIN_COUNT, DEFAULT_TUNING_N } from "./mean-confidence-sequence.js";

/**
 * The always-valid p-value for H0: μ_B = μ_A at one look, from the same asymptotic mixture as
 * {@link meanDifferenceConfidenceSequence} (Waudby-Smith et al. 2021, eq. 155 as in GrowthBook):
 * with θ̂ = x̄_B − x̄_A, n = n_A + n_B and ρ² as there,
 *
 *   E = exp(ρ²·n·θ̂² / (2·SE²·(nρ² + 1))) / sqrt(nρ² + 1),   p = min(1, 1/E)
 *
 * It is ≤ α exactly when that interval (at α) excludes 0. The caller keeps the running minimum.
 * Below `minCount` values in an arm: 1. Zero variance in both arms: 0 when the means differ.
 *
 * @example meanDifferenceAlwaysValidPValue({ count: 1000, sum: 1000, sumSquares: 2000 }, { count: 1000, sum: 1100, sumSquares: 2300 }, { alpha: 0.05 })
 * // 0.33189321575405645
 */
export function meanDifferenceAlwaysValidPValue(
  a: MeanObservation,
  b: MeanObservation,
  opts: { alpha: number; tuningN?: number; minCount?: number },
): number {
  requireOpenUnit("alpha", opts.alpha);
  const tuningN = opts.tuningN ?? DEFAULT_TUNING_N;
  requirePositive("tuningN", tuningN);
  const minCount = Math.max(opts.minCount ?? DEFAULT_MIN_COUNT, 1);
  requireCount("minCount", minCount);
  const sa = summarizeMean(a, "a");
  const sb = summarizeMean(b, "b");
  if (sa.count < minCount || sb.count < minCount) return 1;
  const theta = sb.mean - sa.mean;
  // floored like the confidence sequence's variance, so the two agree on constant data
  const se2 = csVariance(sa) / sa.count + csVariance(sb) / sb.count;
  if (se2 === 0) return 1;
  const n = sa.count + sb.count;
  const lnAlpha = Math.log(opts.alpha);
  const rho2 = (-2 * lnAlpha + Math.log(1 - 2 * lnAlpha)) / tuningN;
  const nr = n * rho2 + 1;
  const logE = (rho2 * n * theta * theta) / (2 * se2 * nr) - 0.5 * Math.log(nr);
  return logE <= 0 ? 1 : Math.exp(-logE);
}
