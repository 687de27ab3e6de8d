/** One request through the host, timed in CPU time: shared by the filter benchmarks. */
import type { Emulator } from "../../sidecar/src/host/index.js";

const RESPONSE: [string, string][] = [
  [":status", "200"],
  ["content-type", "application/json"],
  ["content-length", "512"],
];

/** One request through the host: request headers, response headers, end of stream. */
export function one(em: Emulator, headers: [string, string][]): void {
  const s = em.stream();
  s.sendRequestHeaders(headers, true);
  em.clock.advance(1);
  s.sendResponseHeaders(RESPONSE, true);
  s.complete();
}

/**
 * ns per request over `n` requests, as CPU time of this process (user + system): on a shared
 * machine wall time mostly measures the neighbours.
 */
export function timePerRequest(em: Emulator, pool: [string, string][][], n: number): number {
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) one(em, pool[i % pool.length] as [string, string][]);
  const c = process.cpuUsage(c0);
  return ((c.user + c.system) * 1000) / n;
}

/** Median of a non-empty list. */
export function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
}
