/** Escaping for the report: every string that came from a user goes through one of these. */

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text for an element's content or a double- or single-quoted attribute value. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

/** A number for an SVG coordinate: finite, two decimals. */
export function coord(x: number): string {
  return Number.isFinite(x) ? x.toFixed(2) : "0";
}
