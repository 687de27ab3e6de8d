import type { RateCounts } from "./counts.js";
import {
  type ObjectiveLimits,
  type ObjectiveResult,
  requireLimits,
  statusFromInterval,
} from "./objective-status.js";
import { type BetaPrior, priorForLimit, UNIFORM_PRIOR } from "./prior.js";
import { rateConfidenceSequence } from "./rate-confidence-sequence.js";

/**
 * Assesses a rate objective (error rate ≤ 1%, conversion ≥ 2%) from the beta-binomial
 * {@link rateConfidenceSequence}, valid whenever it is looked at. The mixing prior defaults to
 * {@link priorForLimit} on the upper limit (else the lower), which decides fastest near the limit;
 * limits outside (0, 1) fall back to Beta(1, 1). No trials: "undecided" with [0, 1].
 *
 * @example rateObjective({ successes: 40, trials: 20000 }, { upperLimit: 0.01 }, { alpha: 0.05 })
 * // { status: "pass", interval: { estimate: 0.002, lower: 0.0011104192688362673, upper: 0.0032702858586030753 } }
 */
export function rateObjective(
  o: RateCounts,
  limits: ObjectiveLimits,
  opts: { alpha: number; prior?: BetaPrior },
): ObjectiveResult {
  requireLimits(limits);
  const prior = opts.prior ?? defaultPrior(limits.upperLimit ?? limits.lowerLimit);
  const interval = rateConfidenceSequence(o, { alpha: opts.alpha, prior });
  return { status: statusFromInterval(interval, limits), interval };
}

function defaultPrior(limit: number | undefined): BetaPrior {
  return limit !== undefined && limit > 0 && limit < 1 ? priorForLimit(limit) : UNIFORM_PRIOR;
}
