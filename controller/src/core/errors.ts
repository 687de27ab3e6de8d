/**
 * Base class of every error Cohort raises on purpose. The message names what failed; the
 * original error, when there is one, is kept as `cause` (ky's pattern: one class per failure kind).
 */
export class CohortError extends Error {
  override readonly name: string = "CohortError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** True when `e` is one of ours (and so its message is meant for a user). */
export function isCohortError(e: unknown): e is CohortError {
  return e instanceof CohortError;
}

/** The message of any thrown value, with its causes appended ("a: b: c"). */
export function describeError(e: unknown): string {
  const parts: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; cur !== undefined && cur !== null && depth < 5; depth++) {
    if (cur instanceof Error) {
      if (!parts.some((p) => p.includes(cur instanceof Error ? cur.message : ""))) {
        parts.push(cur.message);
      }
      cur = cur.cause;
    } else {
      parts.push(String(cur));
      break;
    }
  }
  return parts.join(": ");
}
