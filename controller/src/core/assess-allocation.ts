/**
 * Whether the allocation between two versions has been fixed: the one assumption of the pooled
 * (asymptotic) difference CS of Waudby-Smith et al. that per-version sequences do not need. It
 * holds for a pair when the deployment does not adapt (FixedSplit) and every interval so far split
 * traffic between the two in the same ratio, both served. Under Progressive weights the ratio may
 * move with the data (ramps, eliminations), so pooling there goes through epochs (assess-pool.ts).
 */
import type { DeploymentPattern } from "./experiment/schema.js";

/**
 * `allocations`: the weights in force during each interval so far, oldest first (the initial
 * weights, then each look's). Returns a predicate on a pair of versions.
 */
export function fixedAllocation(
  deploymentPattern: DeploymentPattern,
  allocations: readonly Record<string, number>[],
): (a: string, b: string) => boolean {
  if (deploymentPattern !== "FixedSplit" || allocations.length === 0) return () => false;
  return (a, b) => {
    const first = allocations[0] as Record<string, number>;
    const wa = first[a] ?? 0;
    const wb = first[b] ?? 0;
    if (!(wa > 0 && wb > 0)) return false;
    // the same ratio, compared without division: w'_a · w_b = w'_b · w_a
    return allocations.every((w) => (w[a] ?? 0) * wb === (w[b] ?? 0) * wa);
  };
}
