/**
 * Promotion templates: `{{ version }}`, `{{ name }}` (the experiment), `{{ namespace }}` and the
 * winner's variables, substituted verbatim. Values are never seen by a shell (every program runs
 * from an argument array), so nothing needs quoting and `$(…)` in a value stays text.
 */
import { PROMOTION_BUILTINS, placeholdersOf } from "../core/experiment/rules-promotion.js";
import { PromotionTemplateError } from "./errors.js";

export interface TemplateValues {
  version: string;
  name: string;
  namespace: string;
  variables: Record<string, string>;
}

const PLACEHOLDER = /\{\{\s*(.*?)\s*\}\}/g;

/** Fills one template; an unknown or malformed placeholder throws, naming `field`. */
export function fill(template: string, values: TemplateValues, field: string): string {
  const { problem } = placeholdersOf(template);
  if (problem !== undefined) throw new PromotionTemplateError(`${field} ${problem}`);
  const builtins: Record<string, string> = {
    version: values.version,
    name: values.name,
    namespace: values.namespace,
  };
  return template.replace(PLACEHOLDER, (_whole, key: string) => {
    if (Object.hasOwn(builtins, key)) return builtins[key] as string;
    if (Object.hasOwn(values.variables, key)) return values.variables[key] as string;
    const vars = Object.keys(values.variables).sort();
    throw new PromotionTemplateError(
      `${field} uses {{ ${key} }}, which version ${values.version} does not define; known: ${[...PROMOTION_BUILTINS, ...vars].join(", ")}`,
    );
  });
}

/** Fills every value of a record, naming `field.key` on failure. */
export function fillRecord(
  templates: Record<string, string>,
  values: TemplateValues,
  field: string,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(templates).map(([k, t]) => [k, fill(t, values, `${field}.${k}`)]),
  );
}
