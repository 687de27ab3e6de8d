import type { Selector } from "./series.js";

/** `value` as a PromQL double-quoted string literal's contents: `\`, `"` and line breaks escaped. */
export function escapePromqlString(value: string): string {
  return value
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r");
}

/** RE2 metacharacters escaped, so a value matches itself inside `=~`. */
function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The selector as PromQL: `name{label="v",other=~"a|b"}` (one value: `=`, several: `=~`). */
export function renderSelector(s: Selector): string {
  const matchers = Object.entries(s.labels).map(([label, values]) =>
    values.length === 1
      ? `${label}="${escapePromqlString(values[0] as string)}"`
      : `${label}=~"${escapePromqlString(values.map(escapeRegex).join("|"))}"`,
  );
  return `${s.metric}{${matchers.join(",")}}`;
}

/** One number: the sum over every selected series (an empty vector when there is none). */
export function sumQuery(s: Selector): string {
  return `sum(${renderSelector(s)})`;
}

/** A histogram's cumulative buckets summed over the selected series, one sample per `le`. */
export function bucketsQuery(bucketSelector: Selector): string {
  return `sum by (le) (${renderSelector(bucketSelector)})`;
}
