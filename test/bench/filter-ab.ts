/**
 * `npx tsx test/bench/filter-ab.ts OLD.wasm NEW.wasm`: two builds of the filter and the no-op
 * module in one process, interleaved rounds, CPU time per request — a before/after comparison that
 * both sides measure under the same machine load. Prints a table; never part of `npm test`.
 */
import { readFileSync } from "node:fs";
import { Emulator } from "../../sidecar/src/host/index.js";
import { noopWasmPath } from "../../sidecar/src/route/package-root.js";
import { BENCH_CONFIG, requests } from "./filter-workload.js";
import { median, one, timePerRequest } from "./per-request.js";

const paths = process.argv.slice(2);
if (paths.length === 0) {
  console.error("usage: npx tsx test/bench/filter-ab.ts A.wasm [B.wasm ...]");
  process.exit(2);
}
const pool = requests(4096);
const modules: [string, Emulator][] = [
  ["no-op module", Emulator.startSync({ wasm: noopWasmPath() })],
];
for (const p of paths) {
  modules.push([p, Emulator.startSync({ wasm: readFileSync(p), pluginConfig: BENCH_CONFIG })]);
}
const WARM = 20_000;
const N = 40_000;
const ROUNDS = 7;
for (const [, em] of modules)
  for (let i = 0; i < WARM; i++) one(em, pool[i % pool.length] as [string, string][]);
const times = new Map<string, number[]>(modules.map(([name]) => [name, []]));
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, em] of modules) times.get(name)?.push(timePerRequest(em, pool, N));
}
const noop = median(times.get("no-op module") ?? []);
console.log(`CPU time per request, median of ${ROUNDS} interleaved rounds × ${N} requests`);
console.log("");
console.log("| module | µs per request | µs above no-op |");
console.log("| --- | ---: | ---: |");
for (const [name] of modules) {
  const t = median(times.get(name) ?? []);
  console.log(`| ${name} | ${(t / 1000).toFixed(2)} | ${((t - noop) / 1000).toFixed(2)} |`);
}
