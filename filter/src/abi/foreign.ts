import { proxy_call_foreign_function } from "./env";
import { freeReturned, RETURN_PTR, RETURN_SIZE, resetReturn, returnedPtr } from "./memory";

/**
 * Calls a host foreign function with no arguments and discards its result. Returns the status:
 * NotFound means this host does not offer the function (older Envoy), which callers may accept.
 */
export function callForeignFunction(name: ArrayBuffer): u32 {
  resetReturn();
  const status = proxy_call_foreign_function(
    changetype<usize>(name),
    <usize>name.byteLength,
    0,
    0,
    RETURN_PTR,
    RETURN_SIZE,
  );
  freeReturned(returnedPtr());
  return status;
}
