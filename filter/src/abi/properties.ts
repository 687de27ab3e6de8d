import { proxy_set_property } from "./env";
import { utf8 } from "./memory";

/**
 * Sets a property of the stream (Envoy: filter state `wasm.<path>`, readable in access logs as
 * `%FILTER_STATE(wasm.<path>)%`). Returns the host's status.
 */
export function setProperty(path: ArrayBuffer, value: string): u32 {
  const bytes = utf8(value);
  return proxy_set_property(
    changetype<usize>(path),
    <usize>path.byteLength,
    changetype<usize>(bytes),
    <usize>bytes.byteLength,
  );
}
