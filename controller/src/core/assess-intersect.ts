/**
 * The running intersection of a confidence sequence over looks. A CS covers the truth at every
 * look at once, so the intersection of all its intervals so far covers it too (statistics digest:
 * "reporting the running intersection of a CS over time is allowed"); it makes verdicts stable —
 * a pass does not fall back to undecided because one look was noisier. When the intersection is
 * empty, the truth has moved or a miss happened (probability ≤ α): the current interval wins, so
 * a real regression still shows as soon as the current data say so.
 */
import type { Interval } from "./stats/index.js";

export function intersectIntervals(
  current: Interval,
  previous: Interval | null | undefined,
): Interval {
  if (previous === null || previous === undefined) return current;
  const lower = Math.max(current.lower, previous.lower);
  const upper = Math.min(current.upper, previous.upper);
  if (!(lower <= upper)) return current;
  return { estimate: current.estimate, lower, upper };
}
