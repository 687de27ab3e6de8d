import type { SelectorSum } from "../core/experiment/selector-sum.js";
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

/** The sum of the samples `query` selects (Prometheus's rule: a missing label equals ""). */
export function sumMatching(samples: readonly Sample[], query: SelectorSum): number | undefined {
  let total: number | undefined;
  for (const s of samples) {
    if (s.name !== query.metric) continue;
    const matches = query.matchers.every(
      (m) => ((s.labels[m.label] ?? "") === m.value) === (m.op === "="),
    );
    if (matches) total = (total ?? 0) + s.value;
  }
  return total;
}
