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

type Loose = Record<string, unknown>;

const isObject = (x: unknown): x is Loose =>
  typeof x === "object" && x !== null && !Array.isArray(x);

/** An interval read back from JSON: null or missing ends are unbounded, a null estimate is NaN. */
function reviveInterval(x: unknown): unknown {
  if (!isObject(x)) return x;
  const num = (v: unknown, fallback: number) => (typeof v === "number" ? v : fallback);
  return {
    estimate: num(x.estimate, Number.NaN),
    lower: num(x.lower, Number.NEGATIVE_INFINITY),
    upper: num(x.upper, Number.POSITIVE_INFINITY),
  };
}

function reviveFields(x: unknown, fields: string[]): unknown {
  if (!isObject(x)) return x;
  const out: Loose = { ...x };
  for (const f of fields) if (isObject(out[f])) out[f] = reviveInterval(out[f]);
  return out;
}

/**
 * A copy of stored decisions (a status or an analysis read from JSON) whose intervals are numbers
 * again: objectives' `value` and `exceedance`, rewards' `value`, comparisons' `difference`.
 */
export function reviveIntervals<T>(decisions: T): T {
  if (!isObject(decisions)) return decisions;
  const out: Loose = { ...decisions };
  if (isObject(out.versions)) {
    out.versions = Object.fromEntries(
      Object.entries(out.versions).map(([v, a]) => {
        if (!isObject(a)) return [v, a];
        const objectives = Array.isArray(a.objectives)
          ? a.objectives.map((o) => reviveFields(o, ["value", "exceedance"]))
          : a.objectives;
        return [v, { ...a, objectives, reward: reviveFields(a.reward, ["value"]) }];
      }),
    );
  }
  if (Array.isArray(out.comparisons))
    out.comparisons = out.comparisons.map((c) => reviveFields(c, ["difference"]));
  return out as T;
}
