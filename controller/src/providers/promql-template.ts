import { TemplateError } from "./errors.js";
import { escapePromqlString } from "./promql-queries.js";

/** What a query template may refer to, for one version. */
export interface TemplateContext {
  /** The metric whose query this is, for errors. */
  metric: string;
  /** `{{ version }}` */
  version: string;
  /** `{{ name }}`: the experiment's name. */
  name: string;
  /** `{{ elapsed }}`: seconds since the experiment started. */
  elapsedSeconds: number;
  /** The version's `variables`: `{{ region }}`. */
  variables: Record<string, string>;
}

/** Seconds as a PromQL range duration: whole seconds, at least one (`[0s]` is refused). */
export function promqlDuration(seconds: number): string {
  return `${Math.max(1, Math.ceil(seconds))}s`;
}

const PLACEHOLDER = /\{\{\s*(.*?)\s*\}\}/g;
const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Fills `{{ version }}`, `{{ name }}`, `{{ elapsed }}` and the version's variables into a query.
 * Names and variable values are escaped for a PromQL string literal (they belong between double
 * quotes: `version="{{ version }}"`); `elapsed` is a duration (`[{{ elapsed }}]` → `[600s]`).
 * An unknown or malformed placeholder raises TemplateError naming it and what is known.
 */
export function renderTemplate(template: string, ctx: TemplateContext): string {
  const builtins: Record<string, string> = {
    version: escapePromqlString(ctx.version),
    name: escapePromqlString(ctx.name),
    elapsed: promqlDuration(ctx.elapsedSeconds),
  };
  if (template.replace(PLACEHOLDER, "").includes("{{"))
    throw new TemplateError(ctx.metric, "", `unclosed placeholder in ${JSON.stringify(template)}`);
  return template.replace(PLACEHOLDER, (whole, key: string) => {
    if (!IDENT.test(key))
      throw new TemplateError(ctx.metric, key, `malformed placeholder ${whole}`);
    if (Object.hasOwn(builtins, key)) return builtins[key] as string;
    if (Object.hasOwn(ctx.variables, key)) return escapePromqlString(ctx.variables[key] as string);
    const vars = Object.keys(ctx.variables).sort();
    const known = `version, name, elapsed${vars.length > 0 ? `, and its variables ${vars.join(", ")}` : " (it has no variables)"}`;
    throw new TemplateError(
      ctx.metric,
      key,
      `unknown placeholder {{ ${key} }} for version ${ctx.version}; known: ${known}`,
    );
  });
}
