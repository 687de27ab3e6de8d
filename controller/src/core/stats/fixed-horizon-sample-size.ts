import { requireOpenUnit, requirePositive, StatisticsInputError } from "./errors.js";
import { normalQuantile } from "./normal-quantile.js";

/** Two proportions to tell apart. */
export interface ProportionsDesign {
  p1: number;
  p2: number;
  /** Two-sided significance level. */
  alpha: number;
  /** Probability of detecting the difference, e.g. 0.8. */
  power: number;
}

/** A difference of means `delta` with per-observation standard deviation `sd`. */
export interface MeansDesign {
  sd: number;
  delta: number;
  alpha: number;
  power: number;
}

/**
 * Observations per arm for a fixed-horizon two-sided test (the baseline our sequential decisions
 * are compared with in the benchmark). Proportions: the normal approximation of R's
 * `power.prop.test`, n = (z_{1−α/2}·sqrt(2p̄q̄) + z_{power}·sqrt(p1q1 + p2q2))² / (p1 − p2)²;
 * means: n = 2(z_{1−α/2} + z_{power})²·sd² / delta² (z-test, known sd). Rounded up.
 *
 * @example fixedHorizonSampleSize({ p1: 0.05, p2: 0.055, alpha: 0.05, power: 0.8 }) // 31234
 */
export function fixedHorizonSampleSize(design: ProportionsDesign | MeansDesign): number {
  requireOpenUnit("alpha", design.alpha);
  requireOpenUnit("power", design.power);
  const za = normalQuantile(1 - design.alpha / 2);
  const zb = normalQuantile(design.power);
  if ("p1" in design) {
    const { p1, p2 } = design;
    requireOpenUnit("p1", p1);
    requireOpenUnit("p2", p2);
    if (p1 === p2) throw new StatisticsInputError("p1 and p2 must differ");
    const pBar = (p1 + p2) / 2;
    const root =
      za * Math.sqrt(2 * pBar * (1 - pBar)) + zb * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
    return Math.ceil((root * root) / ((p1 - p2) * (p1 - p2)));
  }
  requirePositive("sd", design.sd);
  if (!(Number.isFinite(design.delta) && design.delta !== 0)) {
    throw new StatisticsInputError(`delta must be a finite non-zero number, got ${design.delta}`);
  }
  return Math.ceil((2 * (za + zb) ** 2 * design.sd ** 2) / design.delta ** 2);
}
