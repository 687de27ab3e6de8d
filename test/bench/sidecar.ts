/**
 * The sidecar's throughput with the filter against the same proxy without it (plugin.enabled
 * false: pass-through), as a ratio. Bounded loopback load: a fixed number of keep-alive
 * connections, each sending its next request when the previous answer arrived, for a fixed time.
 * The sidecar runs in its own process (one core), the upstream and the load here (the other).
 * Run: `npx tsx test/bench/sidecar.ts [--seconds 4] [--connections 32] [--rounds 2]`.
 * Prints a table; results are recorded in docs/benchmarks.md. Never part of `npm test`.
 */
import { spawn } from "node:child_process";
import { Agent, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { BENCH_CONFIG, requests } from "./filter-workload.js";

/**
 * The filter benchmark's three experiments (test/bench/filter-workload.ts) without the mirror, so
 * both modes do the same upstream work.
 */
const PLUGIN_CONFIG = {
  experiments: BENCH_CONFIG.experiments.map(({ mirror: _mirror, ...e }) => e),
};

/** The filter benchmark's requests (20 headers each) as HTTP/1 headers: `:authority` → host. */
const POOL = requests(5000).map((pairs) => ({
  pairs,
  http: Object.fromEntries(
    pairs
      .filter(([k]) => !k.startsWith(":") || k === ":authority")
      .map(([k, v]) => [k === ":authority" ? "host" : k, v]),
  ),
}));

/** Child mode: start a sidecar in front of `upstream` and print its URL. */
async function serve(mode: string, upstream: string): Promise<void> {
  const { startSidecar } = await import("../../sidecar/src/proxy/sidecar.js");
  const quiet = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };
  const sc = await startSidecar(
    {
      clusters: ["v1", "v2", "v3"].map((name) => ({ name, url: upstream })),
      routes: { defaultCluster: "v1" },
      plugin: { enabled: mode === "filter", config: PLUGIN_CONFIG },
    },
    { log: quiet },
  );
  process.stdout.write(`${sc.url}\n`);
  process.on("SIGTERM", () => void sc.stop().then(() => process.exit(0)));
}

async function startChild(mode: string, upstream: string) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", fileURLToPath(import.meta.url), "serve", mode, upstream],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const url = await new Promise<string>((r) =>
    createInterface({ input: child.stdout }).once("line", r),
  );
  return { url, stop: () => new Promise((r) => child.once("exit", r).kill("SIGTERM")) };
}

interface Result {
  requests: number;
  errors: number;
  seconds: number;
  latenciesMs: number[];
}

/** `connections` closed loops against `url` for `seconds`. */
async function load(url: string, connections: number, seconds: number): Promise<Result> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const end = performance.now() + seconds * 1000;
  const lat: number[] = [];
  let n = 0;
  let errors = 0;
  const one = (i: number) =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const { http } = POOL[i % POOL.length] as (typeof POOL)[number];
      const req = request(`${url}/api/items/${i}?page=2`, { agent, headers: http }, (res) => {
        res.resume();
        res.on("end", () => {
          if (res.statusCode === 200) n++;
          else errors++;
          lat.push(performance.now() - t0);
          resolve();
        });
      });
      req.on("error", () => {
        errors++;
        resolve();
      });
      req.end();
    });
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) await one(next++);
    }),
  );
  const took = (performance.now() - start) / 1000;
  agent.destroy();
  return { requests: n, errors, seconds: took, latenciesMs: lat };
}

/**
 * The filter's share of the sidecar's work, without sockets: one stream's callbacks as the proxy
 * makes them (request headers, response headers, one body chunk, end of stream, log/done/delete).
 */
async function streamCostUs(n: number): Promise<number> {
  const { Emulator } = await import("../../sidecar/src/host/index.js");
  const { WasmStreamFilter } = await import("../../sidecar/src/proxy/stream-filter.js");
  const { SystemClock } = await import("../../sidecar/src/proxy/system-clock.js");
  const { buildRouteTable } = await import("../../sidecar/src/proxy/route-table.js");
  const { filterWasmPath } = await import("../../sidecar/src/route/package-root.js");
  const versions = { v1: "v1", v2: "v2", v3: "v3" };
  const em = Emulator.startSync({
    wasm: filterWasmPath(),
    pluginConfig: PLUGIN_CONFIG,
    clock: new SystemClock(),
    logLevel: "info",
    routes: buildRouteTable({
      routingHeader: "x-cohort-version",
      mirrorHeader: "x-cohort-mirror",
      versions,
      defaultCluster: "v1",
      shadowMaxInFlight: 1,
    }),
  });
  const body = Buffer.from('{"items":[1,2,3],"page":2}');
  const run = (count: number) => {
    for (let i = 0; i < count; i++) {
      const f = new WasmStreamFilter(em);
      const h = (POOL[i % POOL.length] as (typeof POOL)[number]).pairs;
      f.requestHeaders(h, true);
      f.responseHeaders(
        [
          [":status", "200"],
          ["content-length", String(body.length)],
        ],
        false,
      );
      f.responseBody(body, false);
      f.responseBody(new Uint8Array(0), true);
      f.complete();
      em.clearLogs();
    }
  };
  run(2000);
  const t0 = performance.now();
  run(n);
  return ((performance.now() - t0) * 1000) / n;
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
}

async function bench(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: "string", default: "4" },
      connections: { type: "string", default: "32" },
      rounds: { type: "string", default: "2" },
    },
  });
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  const rounds = Number(values.rounds);
  const body = Buffer.from('{"items":[1,2,3],"page":2}');
  const upstream = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
    res.end(body);
  });
  await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;

  const rows: { mode: string; rps: number; p50: number; p99: number; errors: number }[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const mode of ["upstream direct", "pass-through", "filter"]) {
      const child = mode === "upstream direct" ? undefined : await startChild(mode, upstreamUrl);
      const url = child?.url ?? upstreamUrl;
      await load(url, connections, 1); // warm-up: JIT, connections
      const r = await load(url, connections, seconds);
      await child?.stop();
      rows.push({
        mode,
        rps: r.requests / r.seconds,
        p50: quantile(r.latenciesMs, 0.5),
        p99: quantile(r.latenciesMs, 0.99),
        errors: r.errors,
      });
    }
  }
  upstream.close();
  const best = (m: string) => Math.max(...rows.filter((r) => r.mode === m).map((r) => r.rps));
  console.log(
    `\nSidecar throughput, ${connections} keep-alive connections, ${seconds} s per run, ${rounds} round(s)\n`,
  );
  console.log("| round | mode | requests/s | p50 ms | p99 ms | errors |");
  console.log("| --- | --- | ---: | ---: | ---: | ---: |");
  rows.forEach((r, i) => {
    console.log(
      `| ${Math.floor(i / 3) + 1} | ${r.mode} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.errors} |`,
    );
  });
  const ratio = best("filter") / best("pass-through");
  console.log(`\nfilter / pass-through throughput (best of each): ${ratio.toFixed(3)}`);
  const us = await streamCostUs(20000);
  console.log(`filter callbacks per request in the host, no sockets: ${us.toFixed(1)} µs`);
}

if (process.argv[2] === "serve") {
  await serve(process.argv[3] as string, process.argv[4] as string);
} else {
  await bench();
}
