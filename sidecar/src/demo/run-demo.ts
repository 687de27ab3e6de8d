import { Emulator } from "../host/index.js";
import { SeededRandom } from "../host/seeded-random.js";
import { filterWasmPath } from "../route/package-root.js";
import type { DemoConfig } from "./demo-config.js";

/** The filter's Istio tag names (filter/src/plugin/metrics.ts), turned into labels. */
export const COHORT_STAT_TAGS = [
  "cohort_experiment",
  "cohort_version",
  "cohort_reason",
  "cohort_status_class",
];

const OTHER_HOST = "catalog.shop.svc.cluster.local";
const COUNTRIES = ["wakanda", "wakanda", "wakanda", "genovia", "narnia", "latveria", "sokovia"];

export interface DemoOptions {
  config: DemoConfig;
  users: number;
  seed: number;
  /** Points moved from the baseline to the rising version in the weight change. */
  shift: number;
  progress?: (line: string) => void;
}

/** Counts of one pass of all users through the filter. */
export interface PassCounts {
  /** Requests by the reason the filter gave. */
  byReason: Record<string, number>;
  /** Participants (split or assignment) by version. */
  byVersion: Record<string, number>;
  participants: number;
  mirrored: number;
  /** The version each user got in this pass (participants only). */
  versionOf: Map<number, string>;
}

export interface DemoResult {
  users: number;
  experiment: string;
  baseline: string;
  rising: string;
  weightsBefore: Record<string, number>;
  weightsAfter: Record<string, number>;
  mirror: { version: string; percent: number } | undefined;
  before: PassCounts;
  after: PassCounts;
  /** Users that moved onto the rising version with the weight change. */
  movedToRising: number;
  /** Users that left the rising version (must be 0). */
  leftRising: number;
  prometheus: string;
  memoryBytes: number;
}

interface User {
  id: number;
  headers: Record<string, string>;
  latencyMs: number;
}

function makeUsers(n: number, seed: number, host: string): User[] {
  const rnd = new SeededRandom(seed);
  const u = () => rnd.nextU32() / 2 ** 32;
  const users: User[] = [];
  for (let i = 0; i < n; i++) {
    const headers: Record<string, string> = {
      ":method": "GET",
      ":path": "/cart",
      ":scheme": "http",
      ":authority": u() < 0.9 ? host : OTHER_HOST,
      "x-country": COUNTRIES[Math.floor(u() * COUNTRIES.length)] as string,
      "x-request-id": `req-${seed}-${i}`,
      "user-agent": "cohort-demo",
    };
    if (u() < 0.85) headers["x-user-id"] = `user-${i}`;
    else headers.cookie = `theme=dark; uid=user-${i}`;
    users.push({ id: i, headers, latencyMs: 10 + Math.floor(u() * 80) });
  }
  return users;
}

function pass(em: Emulator, users: User[], label: string, progress?: (l: string) => void) {
  const counts: PassCounts = {
    byReason: {},
    byVersion: {},
    participants: 0,
    mirrored: 0,
    versionOf: new Map(),
  };
  const step = Math.max(1, Math.floor(users.length / 4));
  users.forEach((user, i) => {
    const s = em.stream();
    s.sendRequestHeaders(user.headers, true);
    const d = JSON.parse(s.property("cohort.decision") ?? "{}") as {
      version?: string | null;
      mirror?: string | null;
      reason?: string;
    };
    em.clock.advance(user.latencyMs);
    s.sendResponseHeaders({ ":status": user.id % 97 === 0 ? "503" : "200" }, true);
    s.complete();
    const reason = d.reason ?? "none";
    counts.byReason[reason] = (counts.byReason[reason] ?? 0) + 1;
    if ((reason === "split" || reason === "assignment") && d.version) {
      counts.participants++;
      counts.byVersion[d.version] = (counts.byVersion[d.version] ?? 0) + 1;
      counts.versionOf.set(user.id, d.version);
      if (d.mirror) counts.mirrored++;
    }
    if ((i + 1) % step === 0 || i + 1 === users.length) {
      progress?.(`${label}: ${i + 1}/${users.length} users`);
    }
  });
  return counts;
}

/**
 * Pushes synthetic users through the real filter in the host, changes the weights like the
 * controller would (ECDS, same VM), and pushes them again: who moved, and where to.
 */
export function runDemo(opts: DemoOptions): DemoResult {
  const exp = opts.config.experiments[0];
  if (!exp) throw new Error("the demo config has no experiment");
  const rising = exp.versions.find((v) => v.name !== exp.baseline)?.name ?? exp.baseline;
  const weightsBefore = Object.fromEntries(exp.versions.map((v) => [v.name, v.weight]));
  const baseW = weightsBefore[exp.baseline] ?? 0;
  const shift = Math.min(opts.shift, baseW);
  const weightsAfter = { ...weightsBefore };
  weightsAfter[exp.baseline] = baseW - shift;
  weightsAfter[rising] = (weightsAfter[rising] ?? 0) + shift;

  const em = Emulator.startSync({
    wasm: filterWasmPath(),
    pluginConfig: opts.config,
    extraStatTags: COHORT_STAT_TAGS,
    randomSeed: opts.seed,
  });
  const users = makeUsers(opts.users, opts.seed, exp.hosts?.[0] ?? "shop");
  const before = pass(em, users, "before the weight change", opts.progress);

  const next = structuredClone(opts.config);
  const nextExp = next.experiments[0] as typeof exp;
  nextExp.versions = nextExp.versions.map((v) => ({ ...v, weight: weightsAfter[v.name] ?? 0 }));
  if (!em.configure(next)) {
    throw new Error(`the filter refused the new weights: ${em.logs("error").at(-1)?.message}`);
  }
  const after = pass(em, users, "after the weight change", opts.progress);

  let movedToRising = 0;
  let leftRising = 0;
  for (const [id, v] of before.versionOf) {
    const w = after.versionOf.get(id);
    if (v !== rising && w === rising) movedToRising++;
    if (v === rising && w !== rising) leftRising++;
  }
  return {
    users: opts.users,
    experiment: exp.name,
    baseline: exp.baseline,
    rising,
    weightsBefore,
    weightsAfter,
    mirror: exp.mirror,
    before,
    after,
    movedToRising,
    leftRising,
    prometheus: em.prometheus(),
    memoryBytes: em.memoryBytes(),
  };
}
