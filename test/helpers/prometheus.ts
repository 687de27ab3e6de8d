import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

/** A real Prometheus server started for a test file. */
export interface PrometheusServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /**
   * Waits (bounded, polling the API) until a scrape of `job` succeeded, and returns that
   * scrape's time — the moment to evaluate queries at.
   */
  waitForScrape(job?: string): Promise<Date>;
  close(): Promise<void>;
}

export interface PrometheusOptions {
  /** `host:port` scrape targets (the job is `cohort`). */
  targets: string[];
  metricsPath?: string;
  /** Bound for start-up and each wait; default 30 s. */
  timeoutMs?: number;
}

/**
 * The Prometheus binary: `$PROMETHEUS` when set, else `prometheus` on PATH, else Debian's path.
 * Missing, it throws an error saying how to install it: these tests never skip silently.
 */
export function findPrometheus(
  env: NodeJS.ProcessEnv = process.env,
  debianPath = "/usr/bin/prometheus",
): string {
  const chosen = env.PROMETHEUS;
  if (chosen !== undefined && chosen !== "") {
    if (existsSync(chosen)) return chosen;
    throw new Error(`PROMETHEUS=${chosen}: no such file; point it at the prometheus binary`);
  }
  const onPath = (env.PATH ?? "").split(delimiter).map((d) => join(d, "prometheus"));
  const found = [...onPath, debianPath].find((c) => existsSync(c));
  if (found === undefined)
    throw new Error(
      "Prometheus is not installed: these tests start a real one. Install the Debian package " +
        "(`apt-get install prometheus`, as .ci/run does) or set PROMETHEUS to the binary.",
    );
  return found;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls `probe` every 100 ms until it returns a value, failing after `timeoutMs`. */
async function poll<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(
        `${what}: still waiting after ${timeoutMs} ms${last ? ` (${String(last)})` : ""}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts Prometheus on an ephemeral loopback port with a temporary config and data directory,
 * scraping `targets` every second, and waits until it is ready. The port is picked free and then
 * handed over, so another process may take it in between: a start that fails is tried again
 * (three times) on a new port.
 */
export async function startPrometheus(opts: PrometheusOptions): Promise<PrometheusServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (e) {
      if (
        attempt >= 3 ||
        (e instanceof Error && e.message.startsWith("Prometheus is not installed"))
      )
        throw e;
    }
  }
}

async function startOnce(opts: PrometheusOptions): Promise<PrometheusServer> {
  const binary = findPrometheus();
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const dir = await mkdtemp(join(tmpdir(), "cohort-prometheus-"));
  const config = [
    "global:",
    "  scrape_interval: 1s",
    "  scrape_timeout: 1s",
    "  evaluation_interval: 1s",
    "scrape_configs:",
    "  - job_name: cohort",
    `    metrics_path: ${JSON.stringify(opts.metricsPath ?? "/stats/prometheus")}`,
    "    static_configs:",
    `      - targets: ${JSON.stringify(opts.targets)}`,
    "",
  ].join("\n");
  await writeFile(join(dir, "prometheus.yml"), config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let stderr = "";
  const child: ChildProcess = spawn(
    binary,
    [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await poll(`Prometheus at ${url} to be ready`, timeoutMs, async () => {
      if (child.exitCode !== null) throw new Error(`Prometheus exited: ${stderr}`);
      const res = await fetch(`${url}/-/ready`);
      return res.ok ? true : undefined;
    });
  } catch (e) {
    await close();
    throw e;
  }
  return {
    url,
    close,
    waitForScrape: (job = "cohort") =>
      poll(`a successful scrape of job ${job}`, timeoutMs, async () => {
        const q = new URLSearchParams({ query: `timestamp(up{job="${job}"} == 1)` });
        const body = (await (await fetch(`${url}/api/v1/query?${q}`)).json()) as {
          data?: { result?: { value: [number, string] }[] };
        };
        const first = body.data?.result?.[0];
        return first === undefined ? undefined : new Date(Number(first.value[1]) * 1000);
      }),
  };
}
