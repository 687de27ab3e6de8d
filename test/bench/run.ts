/**
 * `npm run bench`: the filter's cost per request in the proxy-wasm host against the no-op module,
 * the size of filter.wasm, and the guest's linear memory over 1M requests. Prints a table;
 * results are recorded in docs/benchmarks.md. Never part of `npm test`.
 */
import { statSync } from "node:fs";
import { Emulator } from "../../sidecar/src/host/index.js";
import { filterWasmPath, noopWasmPath } from "../../sidecar/src/route/package-root.js";
import { BENCH_CONFIG, requests } from "./filter-workload.js";
import { hostCallCosts } from "./host-call-costs.js";
import { hostCallsProbe } from "./host-calls-probe.js";
import { median, one, timePerRequest } from "./per-request.js";

async function main(): Promise<void> {
  const pool = requests(4096);
  const filter = Emulator.startSync({ wasm: filterWasmPath(), pluginConfig: BENCH_CONFIG });
  const noop = Emulator.startSync({ wasm: noopWasmPath() });
  const calls = Emulator.startSync({ wasm: await hostCallsProbe() });
  const WARM = 20_000;
  const N = 50_000;
  const ROUNDS = 5;
  for (let i = 0; i < WARM; i++) {
    one(filter, pool[i % pool.length] as [string, string][]);
    one(noop, pool[i % pool.length] as [string, string][]);
    one(calls, pool[i % pool.length] as [string, string][]);
  }
  // Interleave the rounds so both modules see the same machine load.
  const f: number[] = [];
  const z: number[] = [];
  const h: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    z.push(timePerRequest(noop, pool, N));
    h.push(timePerRequest(calls, pool, N));
    f.push(timePerRequest(filter, pool, N));
  }
  const filterNs = median(f);
  const noopNs = median(z);
  const callsNs = median(h);

  const mem = Emulator.startSync({ wasm: filterWasmPath(), pluginConfig: BENCH_CONFIG });
  const checkpoints = [10_000, 100_000, 500_000, 1_000_000];
  const memory: [number, number][] = [[0, mem.memoryBytes()]];
  let done = 0;
  for (const c of checkpoints) {
    for (; done < c; done++) one(mem, pool[done % pool.length] as [string, string][]);
    memory.push([c, mem.memoryBytes()]);
  }

  const size = statSync(filterWasmPath()).size;
  const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
  const us = (ns: number) => `${(ns / 1000).toFixed(2)} µs`;
  const rows: [string, string, string][] = [
    ["filter.wasm size", kib(size), "≤ 64 KiB"],
    ["no-op module, per request (host cost)", us(noopNs), ""],
    ["filter, per request", us(filterNs), ""],
    ["filter above no-op, per request", us(filterNs - noopNs), "≤ 2 µs"],
    ["… of which the host calls the filter makes (probe above no-op)", us(callsNs - noopNs), ""],
    ["… of which the filter's own code (filter − probe)", us(filterNs - callsNs), ""],
    ...memory.map(
      ([n, b]) =>
        [`linear memory after ${n.toLocaleString("en-US")} requests`, kib(b), ""] as [
          string,
          string,
          string,
        ],
    ),
  ];
  const flat = memory.slice(1).every(([, b]) => b === memory[1]?.[1]);
  rows.push(["memory flat after warm-up (10k requests)", flat ? "yes" : "no", "yes"]);
  console.log(
    "Filter in the proxy-wasm host: 20 request headers, 3 experiments, request + response",
  );
  console.log(
    `(CPU time per request, median of ${ROUNDS} interleaved rounds × ${N.toLocaleString("en-US")} requests, after ${WARM.toLocaleString("en-US")} warm-up)`,
  );
  console.log("");
  console.log("| measure | value | target |");
  console.log("| --- | ---: | --- |");
  for (const [a, b, c] of rows) console.log(`| ${a} | ${b} | ${c} |`);
  console.log("");
  console.log("Host calls, CPU ns per call (a probe makes each 50 times per request):");
  console.log("");
  console.log("| host call | ns |");
  console.log("| --- | ---: |");
  for (const [name, ns] of await hostCallCosts()) console.log(`| ${name} | ${ns.toFixed(0)} |`);
}

await main();
