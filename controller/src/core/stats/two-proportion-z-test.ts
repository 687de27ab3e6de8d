import { type RateCounts, rateCounts } from "./counts.js";
import { normalCdf } from "./normal-cdf.js";

/**
 * The pooled two-proportion z-test of H0: p_A = p_B, z = (p̂_B − p̂_A) / sqrt(p̄(1 − p̄)(1/n_A + 1/n_B)),
 * two-sided. Equal to R's `prop.test(correct = FALSE)` (X² = z²). Valid at ONE fixed sample
 * size only — the benchmark's fixed-horizon baseline, not for repeated looks. Without trials in an
 * arm, or with p̄ at 0 or 1, there is no evidence: z = 0, p = 1.
 *
 * @example twoProportionZTest({ successes: 50, trials: 1000 }, { successes: 80, trials: 1000 })
 * // { z: 2.721095431170472, pValue: 0.006506597483637688 }
 */
export function twoProportionZTest(a: RateCounts, b: RateCounts): { z: number; pValue: number } {
  const ra = rateCounts(a, "a");
  const rb = rateCounts(b, "b");
  if (ra.trials === 0 || rb.trials === 0) return { z: 0, pValue: 1 };
  const pooled = (ra.successes + rb.successes) / (ra.trials + rb.trials);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / ra.trials + 1 / rb.trials));
  if (se === 0) return { z: 0, pValue: 1 };
  const z = (rb.successes / rb.trials - ra.successes / ra.trials) / se;
  return { z, pValue: Math.min(1, 2 * normalCdf(-Math.abs(z))) };
}
