import { ManualClock } from "../host/index.js";

/**
 * The wall clock, for a sidecar serving real traffic: the host reads it for
 * `proxy_get_current_time_nanoseconds` and WASI clocks, so the filter's request durations are real.
 */
export class SystemClock extends ManualClock {
  private readonly originNs = process.hrtime.bigint();
  private readonly originEpochNs = BigInt(Date.now()) * 1_000_000n;

  override nowNs(): bigint {
    return this.originEpochNs + (process.hrtime.bigint() - this.originNs);
  }

  override nowMs(): number {
    return Number(this.nowNs() / 1000n) / 1000;
  }

  override monotonicNs(): bigint {
    return process.hrtime.bigint() - this.originNs;
  }

  override advance(_ms: number): void {
    throw new RangeError("SystemClock follows the wall clock; it cannot be advanced");
  }
}
