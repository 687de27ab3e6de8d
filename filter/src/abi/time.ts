import { proxy_get_current_time_nanoseconds } from "./env";
import { Status } from "./types";

const TIME: usize = memory.data(8);

/** Wall-clock time of the host in nanoseconds since the epoch (0 when the host refuses). */
export function nowNanos(): u64 {
  store<u64>(TIME, 0);
  if (proxy_get_current_time_nanoseconds(TIME) != Status.Ok) return 0;
  return load<u64>(TIME);
}
