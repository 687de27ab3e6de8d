import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { Load } from "../../../controller/src/core/experiment/local-schema.js";
import { createLoadGenerator } from "../../../controller/src/local/load-generator.js";
import { virtualScheduler } from "../../../controller/src/local/scheduler.js";

interface Seen {
  user: string;
  country: string | undefined;
}

const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
});

/** A server that records the user and country of every request. */
async function recorder(): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({
      user: String(req.headers["x-user-id"]),
      country: req.headers["x-country"] as string | undefined,
    });
    res.end("ok");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  closers.push(() => {
    server.close();
    server.closeAllConnections();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

async function drive(load: Load, intervals: number[]): Promise<{ seen: Seen[]; sent: number[] }> {
  const target = await recorder();
  const gen = createLoadGenerator({ url: target.url, load, scheduler: virtualScheduler() });
  const sent: number[] = [];
  for (const ms of intervals) sent.push((await gen.runFor(ms)).sent);
  gen.close();
  return { seen: target.seen, sent };
}

const byUser = (seen: Seen[]) => seen.map((s) => `${s.user}/${s.country}`).sort();

describe("the load generator", () => {
  it("sends rate × interval requests, carrying fractions over to the next interval", async () => {
    const { sent, seen } = await drive({ rate: 10, users: 5 }, [250, 250, 250, 250]);
    expect(sent).toEqual([2, 3, 2, 3]);
    expect(seen).toHaveLength(10);
  });

  it("sends the same users with the same headers for the same seed, others for another", async () => {
    const load: Load = {
      rate: 200,
      users: 30,
      seed: 11,
      headers: [{ name: "x-country", values: { wakanda: 3, genovia: 1 } }],
    };
    const a = await drive(load, [500]);
    const b = await drive(load, [500]);
    const c = await drive({ ...load, seed: 12 }, [500]);
    expect(byUser(a.seen)).toEqual(byUser(b.seen));
    expect(byUser(a.seen)).not.toEqual(byUser(c.seen));
  });

  it("gives each user one header value for good, drawn by the mix's weights", async () => {
    const { seen } = await drive(
      {
        rate: 1800,
        users: 600,
        seed: 3,
        headers: [{ name: "x-country", values: { wakanda: 3, genovia: 1, narnia: 0 } }],
      },
      [1000],
    );
    const countryOf = new Map<string, Set<string | undefined>>();
    for (const s of seen)
      countryOf.set(s.user, (countryOf.get(s.user) ?? new Set()).add(s.country));
    expect([...countryOf.values()].every((set) => set.size === 1)).toBe(true);
    const users = [...countryOf.values()].map((set) => [...set][0]);
    const wakanda = users.filter((c) => c === "wakanda").length / users.length;
    // 3:1 → 0.75; ~570 distinct users, binomial sd ≈ 0.018, so ±0.06 is over 3 sd
    expect(Math.abs(wakanda - 0.75)).toBeLessThan(0.06);
    expect(users).not.toContain("narnia");
  });

  it("stops at maxRequests", async () => {
    const { sent } = await drive({ rate: 100, maxRequests: 30 }, [1000, 1000]);
    expect(sent).toEqual([30, 0]);
  });

  it("stops once maxSeconds have passed", async () => {
    const { sent } = await drive({ rate: 100, maxSeconds: 1 }, [500, 500, 500]);
    expect(sent).toEqual([50, 50, 0]);
  });

  it("refuses to send anywhere but this machine", () => {
    expect(() =>
      createLoadGenerator({
        url: "http://10.1.2.3:8080",
        load: { rate: 1 },
        scheduler: virtualScheduler(),
      }),
    ).toThrow(
      "spec.load: the load generator only sends to this machine, and http://10.1.2.3:8080 is not a loopback address",
    );
  });
});
