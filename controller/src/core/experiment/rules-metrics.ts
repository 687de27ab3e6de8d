/** Rules on custom metric definitions: names that stay unique, and the queries each type needs. */
import { BUILTIN_METRICS } from "./builtin-metrics.js";
import type { RawProblem } from "./check-schema.js";
import { isRecord, type Json, listOf, stringOf } from "./json.js";
import { listWords } from "./problems.js";
import { checkSelectorSumTemplate, SelectorSumError } from "./selector-sum.js";

/** The queries each metric type reads; the decisions need exactly these sums. */
const QUERIES: Record<string, readonly string[]> = {
  rate: ["count", "successes"],
  mean: ["count", "sum", "sumSquares"],
};
const ALL_QUERIES = ["count", "successes", "sum", "sumSquares"];

function queryRules(metric: Json, at: (string | number)[]): RawProblem[] {
  const type = stringOf(metric.type);
  const needed = type === undefined ? undefined : QUERIES[type];
  if (needed === undefined) return [];
  const out: RawProblem[] = [];
  const missing = needed.filter((q) => stringOf(metric[q]) === undefined || metric[q] === "");
  if (missing.length > 0) {
    out.push({
      at,
      message: `a ${type} metric needs the queries ${listWords(needed)}; missing ${listWords(missing)}`,
    });
  }
  for (const query of ALL_QUERIES) {
    if (metric[query] !== undefined && !needed.includes(query)) {
      out.push({
        at: [...at, query],
        message: `${query} is not a query of ${type} metrics, which use ${listWords(needed)}`,
      });
    }
  }
  if (metric.provider === "builtin") out.push(...builtinQueryRules(metric, needed, at));
  return out;
}

/** A builtin metric's queries must be selector sums (its provider evaluates nothing else). */
function builtinQueryRules(
  metric: Json,
  queries: readonly string[],
  at: (string | number)[],
): RawProblem[] {
  const out: RawProblem[] = [];
  for (const query of queries) {
    const template = stringOf(metric[query]);
    if (template === undefined || template === "") continue;
    try {
      checkSelectorSumTemplate(template);
    } catch (e) {
      if (!(e instanceof SelectorSumError)) throw e;
      out.push({ at: [...at, query], message: e.message });
    }
  }
  return out;
}

export function metricRules(spec: Json): RawProblem[] {
  const out: RawProblem[] = [];
  const seen = new Map<string, number>();
  listOf(spec.metrics).forEach((metric, i) => {
    if (!isRecord(metric)) return;
    const at = ["spec", "metrics", i];
    const name = stringOf(metric.name);
    if (name !== undefined && Object.hasOwn(BUILTIN_METRICS, name)) {
      out.push({
        at: [...at, "name"],
        message: `"${name}" is a builtin metric; give the custom metric another name`,
      });
    } else if (name !== undefined && seen.has(name)) {
      out.push({
        at: [...at, "name"],
        message: `duplicate metric name "${name}" (also spec.metrics[${seen.get(name)}].name)`,
      });
    } else if (name !== undefined) {
      seen.set(name, i);
    }
    out.push(...queryRules(metric, at));
  });
  return out;
}
