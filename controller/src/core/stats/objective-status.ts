import { requireFinite, StatisticsInputError } from "./errors.js";
import type { Interval } from "./interval.js";

/** The outcome of one objective at one look. Thin data is always "undecided". */
export type ObjectiveStatus = "pass" | "fail" | "undecided";

/** The limits of an objective; at least one is given. */
export interface ObjectiveLimits {
  upperLimit?: number;
  lowerLimit?: number;
}

/** An objective's status and the interval it was read from. */
export interface ObjectiveResult {
  status: ObjectiveStatus;
  interval: Interval;
}

/** Throws unless at least one limit is given, each is finite, and lower ≤ upper. */
export function requireLimits(limits: ObjectiveLimits): void {
  const { upperLimit, lowerLimit } = limits;
  if (upperLimit === undefined && lowerLimit === undefined) {
    throw new StatisticsInputError("an objective needs upperLimit or lowerLimit, got neither");
  }
  if (upperLimit !== undefined) requireFinite("upperLimit", upperLimit);
  if (lowerLimit !== undefined) requireFinite("lowerLimit", lowerLimit);
  if (upperLimit !== undefined && lowerLimit !== undefined && lowerLimit > upperLimit) {
    throw new StatisticsInputError(
      `lowerLimit (${lowerLimit}) must not exceed upperLimit (${upperLimit})`,
    );
  }
}

/**
 * Reads an objective off a confidence sequence: "fail" when the interval lies wholly beyond a
 * limit (lower end > upperLimit, or upper end < lowerLimit), "pass" when it lies wholly within all
 * limits (strictly), "undecided" otherwise.
 *
 * @example statusFromInterval({ estimate: 0.002, lower: 0.001, upper: 0.004 }, { upperLimit: 0.01 }) // "pass"
 */
export function statusFromInterval(interval: Interval, limits: ObjectiveLimits): ObjectiveStatus {
  const { upperLimit, lowerLimit } = limits;
  if (upperLimit !== undefined && interval.lower > upperLimit) return "fail";
  if (lowerLimit !== undefined && interval.upper < lowerLimit) return "fail";
  const belowUpper = upperLimit === undefined || interval.upper < upperLimit;
  const aboveLower = lowerLimit === undefined || interval.lower > lowerLimit;
  return belowUpper && aboveLower ? "pass" : "undecided";
}
