/** Default start of every manual clock: 2026-01-01T00:00:00Z, so runs are reproducible. */
export const DEFAULT_EPOCH_MS = Date.UTC(2026, 0, 1);

/**
 * A clock that only moves when told to. The host reads it for
 * `proxy_get_current_time_nanoseconds` and WASI `clock_time_get`, so tests never sleep.
 */
export class ManualClock {
  private ns: bigint;
  private readonly startNs: bigint;

  constructor(startMs: number = DEFAULT_EPOCH_MS) {
    this.ns = BigInt(Math.round(startMs * 1e6));
    this.startNs = this.ns;
  }

  /** Wall-clock time in nanoseconds since the Unix epoch. */
  nowNs(): bigint {
    return this.ns;
  }

  /** Wall-clock time in milliseconds since the Unix epoch. */
  nowMs(): number {
    return Number(this.ns / 1_000_000n) + Number(this.ns % 1_000_000n) / 1e6;
  }

  /** Monotonic time in nanoseconds since the clock was created. */
  monotonicNs(): bigint {
    return this.ns - this.startNs;
  }

  /** Moves time forward; negative steps are refused because clocks do not go back. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`clock.advance(ms): ms must be a finite number >= 0, got ${ms}`);
    }
    this.ns += BigInt(Math.round(ms * 1e6));
  }
}
