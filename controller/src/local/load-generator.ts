/**
 * The built-in load generator of `spec.load`: synthetic users through the sidecar so an
 * experiment can run without traffic of its own. Each user has a fixed id (the sticky key) and
 * draws its segment headers once from the weighted mix; who sends each request comes from a
 * seeded generator. Loopback only, and bounded in requests and time.
 */
import { Agent, request } from "node:http";
import { LOAD_DEFAULTS, type Load } from "../core/experiment/local-schema.js";
import { createRng, type Rng } from "../core/stats/index.js";
import { LocalRunError } from "./errors.js";
import { isLoopbackUrl } from "./loopback.js";
import type { Scheduler } from "./scheduler.js";

/** What one interval of load did. */
export interface LoadBatch {
  sent: number;
  /** Responses by status class ("2xx", "5xx"); "failed" when no response came. */
  outcomes: Record<string, number>;
}

export interface LoadGenerator {
  /** Sends `rate × ms` requests spread over `ms`, waits for their responses and the rest of `ms`. */
  runFor(ms: number, signal?: AbortSignal): Promise<LoadBatch>;
  /** Requests sent so far by this generator. */
  readonly sent: number;
  /** True once maxRequests or maxSeconds is reached: later intervals send nothing. */
  readonly exhausted: boolean;
  close(): void;
}

export interface LoadOptions {
  /** The sidecar's listener, e.g. http://127.0.0.1:8080. */
  url: string;
  load: Load;
  scheduler: Scheduler;
  /** Where the stream of users starts; a resumed run passes its look count so it does not replay. */
  stream?: number;
  /** The user id header when the spec names none: the experiment's first sticky header. */
  defaultUserHeader?: string;
}

/** Requests in flight at most; beyond it the generator waits for one to finish. */
const MAX_IN_FLIGHT = 32;

function pick(values: Record<string, number>, rng: Rng): string {
  const entries = Object.entries(values).filter(([, w]) => w > 0);
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let x = rng.next() * total;
  for (const [v, w] of entries) {
    x -= w;
    if (x < 0) return v;
  }
  return (entries[entries.length - 1] as [string, number])[0];
}

/** Each user's fixed headers: the id, then one value per header of the mix. */
function makeUsers(load: Load, userHeader: string): Record<string, string>[] {
  const rng = createRng(load.seed ?? LOAD_DEFAULTS.seed);
  const users: Record<string, string>[] = [];
  for (let i = 0; i < (load.users ?? LOAD_DEFAULTS.users); i++) {
    const headers: Record<string, string> = { [userHeader]: `user-${i}` };
    for (const h of load.headers ?? []) headers[h.name] = pick(h.values, rng);
    users.push(headers);
  }
  return users;
}

export function createLoadGenerator(opts: LoadOptions): LoadGenerator {
  if (!isLoopbackUrl(opts.url))
    throw new LocalRunError(
      `spec.load: the load generator only sends to this machine, and ${opts.url} is not a loopback address`,
    );
  const { load, scheduler } = opts;
  const target = new URL(load.path ?? LOAD_DEFAULTS.path, opts.url);
  const userHeader = load.userHeader ?? opts.defaultUserHeader ?? LOAD_DEFAULTS.userHeader;
  const users = makeUsers(load, userHeader);
  const rng = createRng(
    ((load.seed ?? LOAD_DEFAULTS.seed) + 0x9e3779b9 * (opts.stream ?? 0)) >>> 0,
  );
  const agent = new Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
  const maxRequests = load.maxRequests ?? LOAD_DEFAULTS.maxRequests;
  const deadline = scheduler.now().getTime() + 1000 * (load.maxSeconds ?? LOAD_DEFAULTS.maxSeconds);
  let sent = 0;
  let owed = 0;

  const send = (headers: Record<string, string>): Promise<string> =>
    new Promise((resolve) => {
      const req = request(
        target,
        { method: "GET", agent, headers: { ...headers, "user-agent": "cohort-load" } },
        (res) => {
          res.resume();
          res.on("end", () => resolve(`${Math.floor((res.statusCode ?? 0) / 100)}xx`));
          res.on("error", () => resolve("failed"));
        },
      );
      req.on("error", () => resolve("failed"));
      req.end();
    });

  const exhausted = () => sent >= maxRequests || scheduler.now().getTime() >= deadline;

  return {
    get sent() {
      return sent;
    },
    get exhausted() {
      return exhausted();
    },
    async runFor(ms, signal) {
      const start = scheduler.now().getTime();
      owed += (load.rate * ms) / 1000;
      const n = Math.floor(owed);
      owed -= n;
      const outcomes: Record<string, number> = {};
      const inFlight = new Set<Promise<void>>();
      let batch = 0;
      for (let i = 0; i < n && !signal?.aborted && !exhausted(); i++) {
        const due = start + (i * ms) / n;
        const wait = due - scheduler.now().getTime();
        if (wait > 0) await scheduler.sleep(wait, signal);
        if (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
        const user = users[rng.int(users.length)] as Record<string, string>;
        sent++;
        batch++;
        const p: Promise<void> = send(user).then((o) => {
          outcomes[o] = (outcomes[o] ?? 0) + 1;
          inFlight.delete(p);
        });
        inFlight.add(p);
      }
      await Promise.all(inFlight);
      const rest = start + ms - scheduler.now().getTime();
      if (rest > 0) await scheduler.sleep(rest, signal);
      return { sent: batch, outcomes };
    },
    close() {
      agent.destroy();
    },
  };
}
