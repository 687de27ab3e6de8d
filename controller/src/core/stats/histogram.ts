import type { LatencyHistogram } from "../observations.js";
import { requireCount, StatisticsInputError } from "./errors.js";

/**
 * Checks a histogram's shape: finite, strictly increasing bounds and one more non-negative count
 * than bounds. Returns the total and the cumulative counts, cumulative[i] = count of values ≤
 * boundsMs[i] (and cumulative[k] = total for the overflow bucket).
 *
 * @example cumulativeCounts({ boundsMs: [10, 50], counts: [5, 3, 2] }) // { total: 10, cumulative: [5, 8, 10] }
 */
export function cumulativeCounts(
  h: LatencyHistogram,
  field = "histogram",
): { total: number; cumulative: number[] } {
  const { boundsMs, counts } = h;
  if (counts.length !== boundsMs.length + 1) {
    throw new StatisticsInputError(
      `${field}.counts must have one more entry than ${field}.boundsMs (${boundsMs.length + 1}), got ${counts.length}`,
    );
  }
  for (let i = 0; i < boundsMs.length; i++) {
    const b = boundsMs[i] as number;
    if (!Number.isFinite(b) || (i > 0 && b <= (boundsMs[i - 1] as number))) {
      throw new StatisticsInputError(
        `${field}.boundsMs must be finite and strictly increasing, got ${b} at index ${i}`,
      );
    }
  }
  const cumulative: number[] = [];
  let total = 0;
  counts.forEach((c, i) => {
    requireCount(`${field}.counts[${i}]`, c);
    total += c;
    cumulative.push(total);
  });
  return { total, cumulative };
}
