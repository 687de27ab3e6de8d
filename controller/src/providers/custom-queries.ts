import type { MetricDefinition } from "../core/experiment/index.js";
import { ProviderError } from "./errors.js";
import { renderTemplate } from "./promql-template.js";
import type { CollectRequest, VersionTarget } from "./provider.js";

/** The queries each custom metric type reads, in the order of its observation. */
const PARTS = { rate: ["count", "successes"], mean: ["count", "sum", "sumSquares"] } as const;

/**
 * A custom metric's queries for version `v`, filled in: [part, query] in the order of the
 * observation. `check` sees each template first (a provider's own refusals).
 */
export function filledQueries(
  req: CollectRequest,
  v: VersionTarget,
  m: MetricDefinition,
  check: (template: string) => void = () => {},
): [string, string][] {
  return PARTS[m.type].map((part): [string, string] => {
    const template = m[part];
    if (template === undefined)
      throw new ProviderError(m.name, v.name, `a ${m.type} metric needs a ${part} query`);
    check(template);
    const query = renderTemplate(template, {
      metric: m.name,
      version: v.name,
      name: req.experiment.name,
      elapsedSeconds: req.elapsedSeconds,
      variables: v.variables,
    });
    return [part, query];
  });
}
