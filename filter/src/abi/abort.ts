import { proxy_log } from "./env";
import { LogLevel } from "./types";

// AssemblyScript calls `abort` on a failed assertion, an out-of-bounds access or out of memory.
// Its default imports `env.abort`, which Envoy lacks; asconfig.json redirects it here. The message
// is copied as ASCII into a static buffer: allocating could be the very thing that failed.

const BUFFER_SIZE: i32 = 512;
const buffer: usize = memory.data(BUFFER_SIZE);
let position: i32 = 0;
let aborting = false;

function put(code: u32): void {
  if (position < BUFFER_SIZE) {
    store<u8>(buffer + <usize>position, code < 0x20 || code > 0x7e ? 0x3f : code);
    position++;
  }
}

function putText(text: string): void {
  const ptr = changetype<usize>(text);
  if (ptr == 0) return;
  const len = text.length;
  for (let i = 0; i < len; i++) put(<u32>load<u16>(ptr + ((<usize>i) << 1)));
}

function putNumber(n: u32): void {
  let divisor: u32 = 1_000_000_000;
  let started = false;
  while (divisor > 0) {
    const digit = (n / divisor) % 10;
    if (digit != 0 || started || divisor == 1) {
      put(0x30 + digit);
      started = true;
    }
    divisor /= 10;
  }
}

/** Logs the failure at critical level, then traps (the host decides fail-open or fail-closed). */
export function abortHandler(
  message: string | null,
  fileName: string | null,
  lineNumber: u32,
  columnNumber: u32,
): void {
  if (!aborting) {
    aborting = true;
    position = 0;
    putText("cohort filter aborted: ");
    if (message !== null) putText(message);
    putText(" at ");
    if (fileName !== null) putText(fileName);
    put(0x3a);
    putNumber(lineNumber);
    put(0x3a);
    putNumber(columnNumber);
    proxy_log(LogLevel.Critical, buffer, <usize>position);
  }
  unreachable();
}
