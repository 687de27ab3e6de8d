/** What one decision method did in one simulated run. */
export interface Outcome {
  /** The version declared the winner (null: none). */
  winner: string | null;
  /** Versions rolled back (their traffic dropped to 0 because they were judged to fail). */
  rolledBack: string[];
  /** Requests served (all versions) when the first winner or rollback was declared; null: never. */
  decisionRequests: number | null;
  /** Requests each version served over the whole horizon, counting the traffic after the decision. */
  exposure: Record<string, number>;
}

/** Adds `intervals` more intervals of `perInterval` requests at `weights` to `exposure`. */
export function addExposure(
  exposure: Record<string, number>,
  weights: Record<string, number>,
  intervals: number,
  perInterval: number,
): void {
  if (intervals <= 0) return;
  const total = Object.values(weights).reduce((a, b) => a + b, 0) || 100;
  for (const [v, w] of Object.entries(weights))
    exposure[v] = (exposure[v] ?? 0) + (intervals * perInterval * w) / total;
}
