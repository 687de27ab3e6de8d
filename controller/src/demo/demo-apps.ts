/**
 * The demo's four versions of one shop app: tiny HTTP servers on loopback whose behaviour is
 * seeded. Each request of the experiment converts with the version's probability and is slow
 * (`slowMs`) with the version's share; the app counts visits and conversions on its own
 * `/metrics` page, the way a real app exports a business metric for Prometheus to scrape.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createRng } from "../core/stats/index.js";

export interface AppBehaviour {
  version: string;
  /** Probability that a visit converts (an order). */
  conversion: number;
  /** Share of requests answered after `slowMs` instead of at once. */
  slowShare: number;
  slowMs: number;
  seed: number;
}

export interface DemoApp {
  version: string;
  url: string;
  /** Visits and conversions counted so far (what `/metrics` shows). */
  counts(): { visits: number; conversions: number };
}

export interface DemoApps {
  apps: DemoApp[];
  close(): Promise<void>;
}

/** Who the app counts: requests the filter routed to it, or mirrored to it (a dark version). */
const ROUTED = "x-cohort-version";
const MIRRORED = "x-cohort-mirror";

function exposition(version: string, visits: number, conversions: number): string {
  const v = `version="${version}"`;
  return [
    "# HELP demo_visits_total Visits of experiment participants.",
    "# TYPE demo_visits_total counter",
    `demo_visits_total{${v}} ${visits}`,
    "# HELP demo_conversions_total Visits that ended in an order.",
    "# TYPE demo_conversions_total counter",
    `demo_conversions_total{${v}} ${conversions}`,
    "",
  ].join("\n");
}

function startApp(b: AppBehaviour): Promise<{ app: DemoApp; server: Server }> {
  const rng = createRng(b.seed);
  let visits = 0;
  let conversions = 0;
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (req.url === "/metrics") {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      res.end(exposition(b.version, visits, conversions));
      return;
    }
    req.resume();
    // drawn for every request, in arrival order, so the seed fixes each version's sequence
    const converted = rng.next() < b.conversion;
    const slow = rng.next() < b.slowShare;
    const counted = req.headers[ROUTED] === b.version || req.headers[MIRRORED] === b.version;
    if (counted) {
      visits++;
      if (converted) conversions++;
    }
    const answer = () => {
      const body = JSON.stringify({ version: b.version, order: converted });
      res.writeHead(200, {
        "content-type": "application/json",
        "x-demo-version": b.version,
        "x-demo-converted": converted ? "1" : "0",
      });
      res.end(body);
    };
    if (slow) setTimeout(answer, b.slowMs);
    else answer();
  };
  const server = createServer(handle);
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        server,
        app: {
          version: b.version,
          url: `http://127.0.0.1:${port}`,
          counts: () => ({ visits, conversions }),
        },
      });
    });
  });
}

/** Starts one server per behaviour on an ephemeral loopback port. */
export async function startDemoApps(behaviours: readonly AppBehaviour[]): Promise<DemoApps> {
  const started: { app: DemoApp; server: Server }[] = [];
  const close = () =>
    Promise.all(
      started.map(
        ({ server }) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    ).then(() => {});
  try {
    for (const b of behaviours) started.push(await startApp(b));
  } catch (e) {
    await close();
    throw e;
  }
  return { apps: started.map((s) => s.app), close };
}
