import { ProviderError } from "./errors.js";
import { parseFloatStrict } from "./exposition-parse.js";

/** A bucket's `le` label as a number (`+Inf` is Infinity); a missing or bad one is an error. */
export function boundOf(le: string | undefined, metric: string, version: string): number {
  const bound = le === undefined ? undefined : parseFloatStrict(le);
  if (bound === undefined || Number.isNaN(bound))
    throw new ProviderError(
      metric,
      version,
      `a histogram bucket has ${le === undefined ? "no le label" : `le="${le}"`}`,
    );
  return bound;
}
