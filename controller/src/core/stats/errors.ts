import { CohortError } from "../errors.js";

/** Bad input to a statistical function: the message names the argument and what it must be. */
export class StatisticsInputError extends CohortError {
  override readonly name: string = "StatisticsInputError";
}

/** True when `e` is a {@link StatisticsInputError}. */
export function isStatisticsInputError(e: unknown): e is StatisticsInputError {
  return e instanceof StatisticsInputError;
}

/** Throws unless `value` is a finite number strictly between 0 and 1 (a level like `alpha`). */
export function requireOpenUnit(field: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0 && value < 1)) {
    throw new StatisticsInputError(
      `${field} must be a number between 0 and 1 (exclusive), got ${value}`,
    );
  }
}

/** Throws unless `value` is a finite number ≥ 0 (a count; fractional counts are allowed). */
export function requireCount(field: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new StatisticsInputError(`${field} must be a finite number ≥ 0, got ${value}`);
  }
}

/** Throws unless `value` is a finite number > 0. */
export function requirePositive(field: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new StatisticsInputError(`${field} must be a finite number > 0, got ${value}`);
  }
}

/** Throws unless `value` is a finite number. */
export function requireFinite(field: string, value: number): void {
  if (!Number.isFinite(value)) {
    throw new StatisticsInputError(`${field} must be a finite number, got ${value}`);
  }
}
