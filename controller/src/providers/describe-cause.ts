/** A failed fetch's message with its cause ("fetch failed (connect ECONNREFUSED 127.0.0.1:9)"). */
export function fetchFailure(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause instanceof Error ? e.cause.message : undefined;
  return cause === undefined || cause === e.message ? e.message : `${e.message} (${cause})`;
}

/** Aborts on the caller's signal or after `timeoutMs`, whichever comes first. */
export function withTimeout(signal: AbortSignal | undefined, timeoutMs: number): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
}
