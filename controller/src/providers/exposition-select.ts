import type { Sample } from "./exposition-parse.js";
import type { Selector } from "./series.js";

/** The samples of `selector`'s metric whose labels each equal one of the selector's values. */
export function select(samples: readonly Sample[], selector: Selector): Sample[] {
  const matchers = Object.entries(selector.labels);
  return samples.filter(
    (s) =>
      s.name === selector.metric &&
      matchers.every(([label, values]) => values.includes(s.labels[label] ?? "")),
  );
}

/** The sum of the selected values, or undefined when nothing was selected (no such series). */
export function sumOf(samples: readonly Sample[], selector: Selector): number | undefined {
  const found = select(samples, selector);
  return found.length === 0 ? undefined : found.reduce((a, s) => a + s.value, 0);
}
