/** Cross-field rules on the criteria: what each pattern needs, and metrics that fit their use. */
import { BUILTIN_METRICS, type BuiltinKind, metricKind, resolveMetric } from "./builtin-metrics.js";
import type { RawProblem } from "./check-schema.js";
import { isRecord, type Json, listOf, numberOf, recordOf, stringOf } from "./json.js";
import type { FieldPath } from "./problems.js";
import type { MetricDefinition } from "./schema.js";
import { suggest } from "./suggest.js";

const NEEDS_OBJECTIVES = new Set(["Canary", "Conformance"]);
const NEEDS_REWARD = new Set(["AB", "ABN"]);
const REWARD_HINT = "use latency-mean, error-rate or a custom rate or mean metric";

/** The kind of `name`, or a problem saying it is unknown (with a guess when one is close). */
function kindOf(
  spec: Json,
  name: string,
  at: FieldPath,
  out: RawProblem[],
): BuiltinKind | undefined {
  const metrics = listOf(spec.metrics).filter(isRecord) as unknown as MetricDefinition[];
  const resolved = resolveMetric({ metrics }, name);
  if (resolved !== undefined) return metricKind(resolved);
  const known = [...Object.keys(BUILTIN_METRICS), ...metrics.map((m) => String(m.name))];
  const guess = suggest(name, known);
  out.push({
    at,
    message:
      guess === undefined
        ? `unknown metric "${name}": not a builtin (${Object.keys(BUILTIN_METRICS).join(", ")}) nor defined in spec.metrics`
        : `unknown metric "${name}"; did you mean ${guess}?`,
  });
  return undefined;
}

function checkLimits(
  name: string,
  kind: BuiltinKind,
  objective: Json,
  at: FieldPath,
): RawProblem[] {
  const upper = numberOf(objective.upperLimit);
  const lower = numberOf(objective.lowerLimit);
  if (objective.upperLimit === undefined && objective.lowerLimit === undefined) {
    return [{ at, message: "needs upperLimit, lowerLimit or both" }];
  }
  const out: RawProblem[] = [];
  if (upper !== undefined && lower !== undefined && lower > upper) {
    out.push({
      at: [...at, "lowerLimit"],
      message: `lowerLimit ${lower} is above upperLimit ${upper}, so no version can pass`,
    });
  }
  const ms = BUILTIN_METRICS[name]?.units === "ms";
  for (const [key, limit] of [
    ["upperLimit", upper],
    ["lowerLimit", lower],
  ] as const) {
    if (limit === undefined) continue;
    if (kind === "rate" && (limit < 0 || limit > 1)) {
      const percent = limit > 1 && limit <= 100 ? ` (write ${limit / 100} for ${limit}%)` : "";
      out.push({
        at: [...at, key],
        message: `${name} is a fraction from 0 to 1, not ${limit}${percent}`,
      });
    } else if (ms && limit < 0) {
      out.push({ at: [...at, key], message: `${name} is in milliseconds, so not ${limit}` });
    }
  }
  return out;
}

function objectiveRules(spec: Json, criteria: Json): RawProblem[] {
  const out: RawProblem[] = [];
  const objectives = listOf(criteria.objectives);
  if (NEEDS_OBJECTIVES.has(String(spec.testingPattern)) && objectives.length === 0) {
    out.push({
      at: ["spec", "criteria", "objectives"],
      message: `${String(spec.testingPattern)} needs at least one objective`,
    });
  }
  objectives.forEach((objective, i) => {
    if (!isRecord(objective)) return;
    const at = ["spec", "criteria", "objectives", i];
    const name = stringOf(objective.metric);
    if (name === undefined || name === "") return;
    const kind = kindOf(spec, name, [...at, "metric"], out);
    if (kind === "count") {
      out.push({
        at: [...at, "metric"],
        message: `${name} is a count, so it cannot be an objective: use error-rate, a latency metric or a custom metric`,
      });
    }
    if (kind !== undefined) out.push(...checkLimits(name, kind, objective, at));
  });
  return out;
}

function rewardRules(spec: Json, criteria: Json): RawProblem[] {
  const out: RawProblem[] = [];
  const at = ["spec", "criteria", "reward"];
  if (NEEDS_REWARD.has(String(spec.testingPattern)) && criteria.reward === undefined) {
    out.push({ at, message: `${String(spec.testingPattern)} needs a reward to pick the winner` });
  }
  const name = stringOf(recordOf(criteria.reward).metric);
  if (name === undefined || name === "") return out;
  const kind = kindOf(spec, name, [...at, "metric"], out);
  if (kind === "quantile" || kind === "count") {
    const what = kind === "quantile" ? "a quantile" : "a count";
    out.push({
      at: [...at, "metric"],
      message: `${name} is ${what} and cannot be a reward: ${REWARD_HINT}`,
    });
  }
  return out;
}

export function criteriaRules(spec: Json): RawProblem[] {
  const criteria = recordOf(spec.criteria);
  return [...objectiveRules(spec, criteria), ...rewardRules(spec, criteria)];
}
