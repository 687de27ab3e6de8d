import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AssignmentTable,
  bucketTargets,
  rebalance,
} from "../../controller/src/core/assignment.js";
import type { Emulator } from "../../sidecar/src/host/index.js";
import { startFilter, versionOf } from "./harness.js";

const HOST = "checkout.shop.svc.cluster.local";

function config(weights: Record<string, number>, assignment?: AssignmentTable) {
  const names = Object.keys(weights);
  return {
    experiments: [
      {
        name: "checkout",
        hosts: [HOST],
        stickyKey: ["header:x-user-id", "cookie:uid"],
        baseline: names[0],
        versions: names.map((name) => ({ name, weight: weights[name] })),
        salt: "checkout-2026",
        ...(assignment ? { assignment } : {}),
      },
    ],
  };
}

function versionsOf(emu: Emulator, users: number, prefix = "user-"): (string | null)[] {
  const out: (string | null)[] = [];
  for (let i = 0; i < users; i++) out.push(versionOf(emu, HOST, `${prefix}${i}`));
  return out;
}

function shares(versions: (string | null)[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of versions) counts[String(v)] = (counts[String(v)] ?? 0) + 1;
  for (const k of Object.keys(counts)) counts[k] = (counts[k] ?? 0) / versions.length;
  return counts;
}

describe("split accuracy", () => {
  it("gives 100k synthetic users each version's weight share within ±1 point", () => {
    const weights = { v1: 60, v2: 30, v3: 10 };
    const got = shares(versionsOf(startFilter(config(weights)), 100_000));
    for (const [v, w] of Object.entries(weights)) {
      expect(Math.abs((got[v] ?? 0) - w / 100), v).toBeLessThanOrEqual(0.01);
    }
  }, 30_000);

  it("gives an assignment table's bucket shares to 100k users within ±1 point", () => {
    const weights = { v1: 45, v2: 35, v3: 20 };
    const table = rebalance(rebalance(undefined, { v1: 10, v2: 80, v3: 10 }), weights);
    const got = shares(versionsOf(startFilter(config(weights, table)), 100_000, "member-"));
    for (const [v, w] of Object.entries(weights)) {
      expect(Math.abs((got[v] ?? 0) - w / 100), v).toBeLessThanOrEqual(0.01);
    }
  }, 30_000);
});

describe("stickiness", () => {
  const weights = { v1: 50, v2: 30, v3: 20 };

  it("gives a user the same version on every request, on another proxy and after a restart", () => {
    const proxyA = startFilter(config(weights));
    const first = versionsOf(proxyA, 2000);
    expect(versionsOf(proxyA, 2000)).toEqual(first);
    const proxyB = startFilter(config(weights), { randomSeed: 99 });
    expect(versionsOf(proxyB, 2000)).toEqual(first);
    expect(proxyA.configure(config(weights))).toBe(true);
    expect(versionsOf(proxyA, 2000)).toEqual(first);
  });

  it("keys on the first sticky key present: the header, else the cookie", () => {
    const emu = startFilter(config(weights));
    for (let i = 0; i < 200; i++) {
      const user = `user-${i}`;
      const byHeader = versionOf(emu, HOST, user);
      const s = emu.stream();
      s.sendRequestHeaders({ ":authority": HOST, cookie: `theme=dark; uid=${user}` }, true);
      expect(JSON.parse(s.property("cohort.decision") ?? "{}").version).toBe(byHeader);
      s.complete();
    }
  });

  it("finds the sticky cookie in a later cookie header, as an HTTP/1 client may send several", () => {
    const emu = startFilter(config(weights));
    for (let i = 0; i < 50; i++) {
      const user = `user-${i}`;
      const byHeader = versionOf(emu, HOST, user);
      const s = emu.stream();
      s.sendRequestHeaders(
        [
          [":authority", HOST],
          ["cookie", "theme=dark"],
          ["cookie", `session=abc; uid=${user}`],
        ],
        true,
      );
      const decision = JSON.parse(s.property("cohort.decision") ?? "{}");
      expect(decision).toMatchObject({ version: byHeader, reason: "split" });
      s.complete();
    }
  });

  it("assigns differently under another salt", () => {
    const a = versionsOf(startFilter(config(weights)), 1000);
    const salted = config(weights);
    (salted.experiments[0] as { salt: string }).salt = "checkout-2027";
    const b = versionsOf(startFilter(salted), 1000);
    const same = a.filter((v, i) => v === b[i]).length;
    // Independent draws agree with probability 0.5² + 0.3² + 0.2² = 0.38.
    expect(same / 1000).toBeGreaterThan(0.3);
    expect(same / 1000).toBeLessThan(0.46);
  });
});

describe("ramps", () => {
  it("never moves a user off a rising version, with plain weights and two versions", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 1, max: 100 }),
        (from, step) => {
          const to = Math.min(100, from + step);
          const before = versionsOf(startFilter(config({ v1: 100 - from, v2: from })), 400);
          const after = versionsOf(startFilter(config({ v1: 100 - to, v2: to })), 400);
          before.forEach((v, i) => {
            if (v === "v2") expect(after[i]).toBe("v2");
            if (after[i] === "v1") expect(v).toBe("v1");
          });
        },
      ),
      { seed: 424242, numRuns: 30 },
    );
  }, 30_000);

  it("with plain weights and many versions, changing one weight moves users only to or from it", () => {
    const names = ["v1", "v2", "v3", "v4"];
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 4, maxLength: 4 }),
        fc.nat(3),
        fc.integer({ min: -99, max: 100 }),
        (ws, which, delta) => {
          const w1 = Object.fromEntries(names.map((n, i) => [n, ws[i] as number]));
          const changed = names[which] as string;
          const w2 = { ...w1, [changed]: Math.max(0, (w1[changed] ?? 0) + delta) };
          const before = versionsOf(startFilter(config(w1)), 400);
          const after = versionsOf(startFilter(config(w2)), 400);
          before.forEach((v, i) => {
            if (v === after[i]) return;
            // Raised: users only arrive at `changed`; lowered: only its users leave.
            expect(delta > 0 ? after[i] : v).toBe(changed);
          });
        },
      ),
      { seed: 2718, numRuns: 25 },
    );
  }, 30_000);

  const NAMES = ["v1", "v2", "v3", "v4", "v5"];
  const weightsArb = fc
    .array(fc.integer({ min: 0, max: 100 }), { minLength: NAMES.length, maxLength: NAMES.length })
    .filter((ws) => ws.some((w) => w > 0))
    .map((ws) => Object.fromEntries(NAMES.map((n, i) => [n, ws[i] as number])));

  it("moves users only from shrinking to growing versions with assignment tables of many versions", () => {
    fc.assert(
      fc.property(weightsArb, weightsArb, (w1, w2) => {
        const t1 = rebalance(undefined, w1);
        const t2 = rebalance(t1, w2);
        const before = versionsOf(startFilter(config(w1, t1)), 400);
        const after = versionsOf(startFilter(config(w2, t2)), 400);
        const old = bucketTargets(w1);
        const next = bucketTargets(w2);
        before.forEach((v, i) => {
          const now = after[i] as string;
          if (v === now) return;
          expect(next[v as string] ?? 0, `${v} -> ${now}`).toBeLessThan(old[v as string] ?? 0);
          expect(next[now] ?? 0, `${v} -> ${now}`).toBeGreaterThan(old[now] ?? 0);
        });
      }),
      { seed: 31337, numRuns: 30 },
    );
  }, 30_000);
});
