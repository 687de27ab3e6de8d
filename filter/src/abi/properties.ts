import { proxy_set_property } from "./env";

/**
 * Sets a property of the stream to `value` (UTF-8). Envoy keeps it as filter state
 * `wasm.<path>`, readable in access logs as `%FILTER_STATE(wasm.<path>:PLAIN)%`. Returns the status.
 */
export function setProperty(path: ArrayBuffer, value: ArrayBuffer): u32 {
  return proxy_set_property(
    changetype<usize>(path),
    <usize>path.byteLength,
    changetype<usize>(value),
    <usize>value.byteLength,
  );
}
