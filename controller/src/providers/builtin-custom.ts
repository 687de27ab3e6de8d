/**
 * `provider: builtin` custom metrics: selector sums over the exposition pages the builtin provider
 * reads — the stats page and the version's own metrics page (`variables.metricsUrl`), merged as
 * Istio's metrics merging does. Counts are cumulative; a query that selects no series is no data.
 */
import type { MetricDefinition } from "../core/experiment/index.js";
import {
  parseSelectorSum,
  type SelectorSum,
  SelectorSumError,
} from "../core/experiment/selector-sum.js";
import type { MetricObservation } from "../core/observations.js";
import { filledQueries } from "./custom-queries.js";
import { NoDataError, ProviderError, TemplateError, UnsupportedMetricError } from "./errors.js";
import type { Sample } from "./exposition-parse.js";
import { sumMatching } from "./exposition-select.js";
import type { CollectRequest, VersionTarget } from "./provider.js";

/** The version variable naming the version's own metrics page (Prometheus text). */
export const METRICS_URL_VARIABLE = "metricsUrl";

/** One custom metric's queries for one version, parsed: [part, query text, selector]. */
export interface BuiltinPlan {
  metric: MetricDefinition;
  queries: [string, string, SelectorSum][];
}

/**
 * The metric's queries for `v`, filled in and parsed. A prometheus metric is refused (it is
 * PromQL); `{{ elapsed }}` is a TemplateError (there is no range); a query that is not a selector
 * sum is a ProviderError naming it.
 */
export function planBuiltin(
  req: CollectRequest,
  v: VersionTarget,
  m: MetricDefinition,
): BuiltinPlan {
  if (m.provider !== "builtin")
    throw new UnsupportedMetricError(
      m.name,
      "builtin",
      `it is a PromQL metric (provider: ${m.provider}); read it with the prometheus provider (cohort run --prometheus URL)`,
    );
  const refuseElapsed = (template: string) => {
    if (/\{\{\s*elapsed\s*\}\}/.test(template))
      throw new TemplateError(
        m.name,
        "elapsed",
        `{{ elapsed }} has no meaning in a builtin query: its counts are cumulative since the series began (in ${JSON.stringify(template)})`,
      );
  };
  const queries = filledQueries(req, v, m, refuseElapsed).map(
    ([part, query]): [string, string, SelectorSum] => {
      try {
        return [part, query, parseSelectorSum(query)];
      } catch (e) {
        if (!(e instanceof SelectorSumError)) throw e;
        throw new ProviderError(m.name, v.name, `the ${part} query: ${e.message}`, { cause: e });
      }
    },
  );
  return { metric: m, queries };
}

/** The plan's observation over `samples`; `sources` names the pages read, for NoDataError. */
export function evaluateBuiltin(
  plan: BuiltinPlan,
  version: string,
  samples: readonly Sample[],
  sources: string,
): MetricObservation {
  const name = plan.metric.name;
  const values = plan.queries.map(([part, query, selector]) => {
    const value = sumMatching(samples, selector);
    if (value === undefined)
      throw new NoDataError(
        name,
        version,
        `the ${part} query found no series in ${sources}: ${query}`,
      );
    if (!Number.isFinite(value) || (part !== "sum" && value < 0))
      throw new ProviderError(
        name,
        version,
        `the ${part} query gave ${value}, expected a finite number${part === "sum" ? "" : " ≥ 0"}: ${query}`,
      );
    return value;
  });
  const [count, second, third] = values as [number, number, number?];
  if (plan.metric.type === "mean") return { count, sum: second, sumSquares: third ?? 0 };
  // exact counters from one page: more successes than trials means the queries are wrong
  if (second > count)
    throw new ProviderError(
      name,
      version,
      `the successes query gave ${second}, more than the count query's ${count}: ${plan.queries[1]?.[1]} vs ${plan.queries[0]?.[1]}`,
    );
  return { count, successes: second };
}
