/**
 * JSON for analyses and statuses. JSON has no Infinity or NaN, so a missing estimate and unbounded
 * interval ends are written as null ({@link toJsonValue}) and read back as NaN / ∓Infinity
 * ({@link reviveIntervals}).
 */
import type { Analysis } from "./analysis-types.js";

/** The `--json` output of `cohort analyze`. */
export function analysisToJson(a: Analysis): unknown {
  return toJsonValue({
    winner: a.winner,
    recommended: a.recommended,
    winnerReason: a.winnerReason,
    iteration: a.iteration,
    final: a.final,
    confidence: 1 - a.alpha,
    alpha: a.alpha,
    statements: a.statements,
    alphaPerStatement: a.alphaPerStatement,
    versions: a.versions,
    comparisons: a.comparisons,
    previousWeights: a.previousWeights,
    weights: a.weights,
    ...(a.missing.length > 0 ? { missing: a.missing } : {}),
  });
}

/** A deep copy with every non-finite number replaced by null. */
export function toJsonValue<T>(value: T): unknown {
  return JSON.parse(
    JSON.stringify(value, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v)),
  );
}

const INTERVAL_KEYS = ["estimate", "lower", "upper"];

function isIntervalLike(x: Record<string, unknown>): boolean {
  const keys = Object.keys(x);
  return keys.length === 3 && INTERVAL_KEYS.every((k) => keys.includes(k));
}

/** A deep copy where intervals' nulls become NaN (estimate), −Infinity (lower) or Infinity (upper). */
export function reviveIntervals<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reviveIntervals) as T;
  if (typeof value !== "object" || value === null) return value;
  const obj = value as Record<string, unknown>;
  if (isIntervalLike(obj)) {
    return {
      estimate: obj.estimate ?? Number.NaN,
      lower: obj.lower ?? Number.NEGATIVE_INFINITY,
      upper: obj.upper ?? Number.POSITIVE_INFINITY,
    } as T;
  }
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, reviveIntervals(v)])) as T;
}
