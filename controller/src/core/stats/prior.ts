import { requireOpenUnit, requirePositive } from "./errors.js";

/** A Beta(a, b) mixing distribution for the rate martingale. */
export interface BetaPrior {
  a: number;
  b: number;
}

/** The default mixing prior for rates: uniform, Beta(1, 1). */
export const UNIFORM_PRIOR: BetaPrior = { a: 1, b: 1 };

/** The default prior strength of {@link priorForLimit}: a + b = 50 (Beta(0.5, 49.5) for 1%). */
export const DEFAULT_PRIOR_STRENGTH = 50;

/**
 * A Beta mixing prior centred on a limit, a = limit·strength and b = (1 − limit)·strength. The
 * prior never affects validity, only speed; centring it where decisions are made (the objective's
 * limit) halves the requests needed to decide in the digest's simulation (2,600 vs 5,400 at 0.5%
 * against a 1% limit).
 *
 * @example priorForLimit(0.01) // { a: 0.5, b: 49.5 }
 */
export function priorForLimit(limit: number, strength = DEFAULT_PRIOR_STRENGTH): BetaPrior {
  requireOpenUnit("limit", limit);
  requirePositive("strength", strength);
  return { a: limit * strength, b: (1 - limit) * strength };
}

/** Throws unless both shape parameters are finite and > 0. */
export function requirePrior(prior: BetaPrior, field = "prior"): void {
  requirePositive(`${field}.a`, prior.a);
  requirePositive(`${field}.b`, prior.b);
}
