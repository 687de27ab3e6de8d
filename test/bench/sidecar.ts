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

const HOSTS = ["checkout", "pricing", "search"].map((h) => `${h}.shop.svc.cluster.local`);

/** Three experiments; requests go to the last one, so the filter tries all three hosts. */
const PLUGIN_CONFIG = {
  experiments: HOSTS.map((host, i) => ({
    name: `exp${i + 1}`,
    hosts: [host],
    segment: { all: [{ header: "x-country", oneOf: ["wakanda", "genovia"] }] },
    stickyKey: ["header:x-user-id", "cookie:uid"],
    baseline: "v1",
    versions: [
      { name: "v1", weight: 80 },
      { name: "v2", weight: 15 },
      { name: "v3", weight: 5 },
    ],
    salt: `exp${i + 1}`,
  })),
};

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

function headers(i: number): Record<string, string> {
  return {
    host: HOSTS[2] as string,
    "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36",
    accept: "application/json",
    "accept-language": "en-US,en;q=0.9",
    "x-country": i % 3 === 0 ? "narnia" : "wakanda",
    "x-user-id": `user-${i % 5000}`,
    cookie: `uid=u${i % 5000}; theme=dark`,
    "x-b3-traceid": "80f198ee56343ba864fe8b2a57d3eff7",
  };
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
      const req = request(`${url}/api/items/${i}`, { agent, headers: headers(i) }, (res) => {
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
      const h: [string, string][] = [
        [":authority", HOSTS[2] as string],
        [":path", `/api/items/${i}`],
        [":method", "GET"],
        [":scheme", "http"],
        ...Object.entries(headers(i)).filter(([k]) => k !== "host"),
        ["x-request-id", "7f6d3c2a-5b1e-4c9d-8a7f-0e1d2c3b4a59"],
      ];
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
