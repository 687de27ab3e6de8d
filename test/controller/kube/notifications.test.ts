import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type Notifier, webhookNotifier } from "../../../controller/src/notify/index.js";
import { canarySpec, type Harness, HEALTHY, ports, useHarness } from "./harness.js";

/**
 * A loopback chat webhook: records each POST's body; while `holding`, leaves the answers pending
 * (a slow chat service) until `release()`.
 */
async function chat() {
  const received: { text: string; cohort: Record<string, unknown> }[] = [];
  const pending: ServerResponse[] = [];
  let holding = false;
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (d: string) => {
      body += d;
    });
    req.on("end", () => {
      received.push(JSON.parse(body));
      if (holding) pending.push(res);
      else res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  closers.push(
    () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    /** `event experiment version` of each message, in arrival order. */
    events: () =>
      received.map((m) => `${m.cohort.event} ${m.cohort.experiment} ${m.cohort.version ?? "-"}`),
    hold() {
      holding = true;
    },
    release() {
      holding = false;
      for (const res of pending.splice(0)) res.writeHead(200).end("ok");
    },
  };
}

let h: Harness;
const closers: (() => Promise<void>)[] = [];

useHarness((x) => {
  h = x;
});
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

/** A replica whose notifications go to `url` (a fresh notifier, as a new process would have). */
async function replica(identity: string, url: string, p = ports()) {
  const notifier: Notifier = webhookNotifier({ url, retries: 0 });
  const c = await h.controller(identity, p, { notifier });
  return { c, notifier, p };
}

describe("cohort controller: webhook notifications", () => {
  it("sends start and finish once each, and nothing again after a restart mid-experiment", async () => {
    const hook = await chat();
    const first = await replica("replica-a", hook.url);
    await h.create(first.c, "checkout", canarySpec());
    await h.advance(30_000);
    await first.c.stop(); // delivers what is queued before it returns
    expect(hook.events()).toEqual(["started checkout -"]);

    const second = await replica("replica-a-restarted", hook.url);
    await h.advance(30_000);
    await second.notifier.idle();
    expect(h.experiment("checkout").status).toMatchObject({ phase: "Completed", winner: "v2" });
    expect(hook.events()).toEqual(["started checkout -", "finished checkout v2"]);
    expect(hook.received[1]?.text).toMatch(
      /^:checkered_flag: Experiment finished: \*shop\/checkout\* \(v2\)\. Completed: /,
    );
    expect(hook.received[0]?.cohort).toMatchObject({
      namespace: "shop",
      message: "Started with weights v1=90,v2=10.",
    });

    // a third process after the end: the stored status says it all happened
    await second.c.stop();
    const third = await replica("replica-a-again", hook.url);
    await h.advance(60_000);
    await third.notifier.idle();
    expect(hook.received).toHaveLength(2);
  });

  it("sends the rollback of a failing candidate, then the finish, once each across a restart", async () => {
    const hook = await chat();
    const p = ports();
    p.provider.shapes = { v1: HEALTHY, v2: { ...HEALTHY, errorRate: 0.08 } };
    const first = await replica("replica-a", hook.url, p);
    await h.create(first.c, "checkout", canarySpec());
    for (let i = 0; i < 5 && h.experiment("checkout").status?.phase !== "RolledBack"; i++)
      await h.advance(30_000);
    await first.c.stop();
    expect(h.experiment("checkout").status?.phase).toBe("RolledBack");
    expect(hook.events()).toEqual([
      "started checkout -",
      "rollback checkout v2",
      "finished checkout v1",
    ]);

    const second = await replica("replica-a-restarted", hook.url);
    await h.advance(60_000);
    await second.notifier.idle();
    expect(hook.received).toHaveLength(3);
  });

  it("tells once that mirroring to a failing dark version stopped, and not again after a restart", async () => {
    const hook = await chat();
    const p = ports();
    // the dark v3 errs on 8 % of its copies against error-rate ≤ 0.01: it fails at the first look
    p.provider.shapes = { v1: HEALTHY, v2: HEALTHY, v3: { ...HEALTHY, errorRate: 0.08 } };
    const first = await replica("replica-a", hook.url, p);
    await h.create(
      first.c,
      "checkout",
      canarySpec({
        traffic: { stickyKey: ["header:x-user-id"], mirror: { version: "v3", percent: 50 } },
      }),
    );
    await h.advance(30_000);
    await first.c.stop();
    expect(hook.events()).toEqual(["started checkout -", "mirror-stopped checkout v3"]);
    expect(hook.received[1]?.text).toBe(
      ":no_entry: Mirroring stopped: *shop/checkout* (v3). v3 no longer receives mirrored traffic: the dark version fails error-rate ≤ 0.01.",
    );

    const second = await replica("replica-a-restarted", hook.url, p);
    await h.advance(60_000);
    await second.notifier.idle();
    expect(h.experiment("checkout").status).toMatchObject({ phase: "Completed", winner: "v2" });
    expect(hook.events()).toEqual([
      "started checkout -",
      "mirror-stopped checkout v3",
      "finished checkout v2",
    ]);
  });

  it("never holds up a decision: the experiment finishes while the chat service has not answered", async () => {
    const hook = await chat();
    hook.hold();
    const { c, notifier } = await replica("replica-a", hook.url);
    await h.create(c, "checkout", canarySpec());
    await h.advance(60_000);
    expect(h.experiment("checkout").status).toMatchObject({
      phase: "Completed",
      promotion: { state: "Promoted" },
    });
    // only the first message is out (deliveries are in order), and it is still unanswered
    expect(hook.events()).toEqual(["started checkout -"]);
    hook.release();
    await notifier.idle();
    expect(hook.events()).toEqual(["started checkout -", "finished checkout v2"]);
  });
});
