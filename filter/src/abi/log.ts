import { proxy_log } from "./env";
import { utf8 } from "./memory";
import { LogLevel } from "./types";

/** Writes one line to the host's log at `level` (Envoy: the wasm logger of the filter). */
export function log(level: u32, message: string): void {
  const bytes = utf8(message);
  proxy_log(level, changetype<usize>(bytes), <usize>bytes.byteLength);
}

export function logDebug(message: string): void {
  log(LogLevel.Debug, message);
}

export function logInfo(message: string): void {
  log(LogLevel.Info, message);
}

export function logWarn(message: string): void {
  log(LogLevel.Warn, message);
}

export function logError(message: string): void {
  log(LogLevel.Err, message);
}
