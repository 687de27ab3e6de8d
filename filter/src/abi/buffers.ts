import { proxy_get_buffer_bytes } from "./env";
import { RETURN_PTR, RETURN_SIZE, resetReturn, takeReturnedString } from "./memory";
import { Status } from "./types";

/** Text of the first `size` bytes of a host buffer (the plugin configuration), null if refused. */
export function getBufferString(bufferType: u32, size: u32): string | null {
  if (size == 0) return "";
  resetReturn();
  const status = proxy_get_buffer_bytes(bufferType, 0, size, RETURN_PTR, RETURN_SIZE);
  const text = takeReturnedString();
  return status == Status.Ok ? text : null;
}
