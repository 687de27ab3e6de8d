/**
 * A failed fetch's message with its cause ("fetch failed (connect ECONNREFUSED 127.0.0.1:9)"),
 * or "timed out after N ms" when our own timeout fired.
 */
export function fetchFailure(e: unknown, timeoutMs: number): string {
  if (!(e instanceof Error)) return String(e);
  if (e.name === "TimeoutError") return `timed out after ${timeoutMs} ms`;
  const cause = e.cause instanceof Error ? e.cause.message : undefined;
  return cause === undefined || cause === e.message ? e.message : `${e.message} (${cause})`;
}

/** Aborts on the caller's signal or after `timeoutMs`, whichever comes first. */
export function withTimeout(signal: AbortSignal | undefined, timeoutMs: number): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
}

/**
 * The caller cancelled (its signal aborted): rethrow its reason as it is, so cancelling a
 * collect is never mistaken for a failing metrics source.
 */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason;
}
