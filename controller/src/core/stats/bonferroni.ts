import { requireOpenUnit, StatisticsInputError } from "./errors.js";

/**
 * The per-statement error level when `statements` statements (versions × metrics) must all hold
 * together with probability ≥ 1 − alpha: alpha / statements (Bonferroni; no independence needed).
 *
 * @example bonferroni(0.05, 4) // 0.0125
 */
export function bonferroni(alpha: number, statements: number): number {
  requireOpenUnit("alpha", alpha);
  if (!(Number.isInteger(statements) && statements >= 1)) {
    throw new StatisticsInputError(`statements must be an integer ≥ 1, got ${statements}`);
  }
  return alpha / statements;
}
