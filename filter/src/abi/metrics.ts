import { proxy_define_metric, proxy_increment_metric, proxy_record_metric } from "./env";
import { utf8 } from "./memory";
import { Status } from "./types";

const METRIC_ID: usize = memory.data(4);

/** Id 0 stands for "not defined": every update of it is skipped. */
export const NO_METRIC: u32 = 0xffffffff;

/** Defines a metric (Envoy names it `wasmcustom.<name>`); NO_METRIC if the host refused. */
export function defineMetric(metricType: u32, name: string): u32 {
  const bytes = utf8(name);
  store<u32>(METRIC_ID, 0);
  const status = proxy_define_metric(
    metricType,
    changetype<usize>(bytes),
    <usize>bytes.byteLength,
    METRIC_ID,
  );
  return status == Status.Ok ? load<u32>(METRIC_ID) : NO_METRIC;
}

/** Adds `delta` (> 0) to a counter. */
export function incrementMetric(id: u32, delta: i64): void {
  if (id != NO_METRIC && delta > 0) proxy_increment_metric(id, delta);
}

/** Records one value of a histogram (or sets a gauge). */
export function recordMetric(id: u32, value: u64): void {
  if (id != NO_METRIC) proxy_record_metric(id, value);
}
