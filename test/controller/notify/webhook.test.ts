import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../../controller/src/log.js";
import {
  type Notification,
  notifierFromEnv,
  silentNotifier,
  webhookNotifier,
} from "../../../controller/src/notify/index.js";

interface Received {
  method: string;
  contentType: string | undefined;
  body: unknown;
}

/** A loopback webhook answering each POST with the next status of `statuses` (then 200). */
async function webhookServer(statuses: number[], headers: Record<string, string> = {}) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (d: string) => {
      text += d;
    });
    req.on("end", () => {
      received.push({
        method: req.method ?? "",
        contentType: req.headers["content-type"],
        body: JSON.parse(text),
      });
      res.writeHead(statuses.shift() ?? 200, headers).end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

const finished: Notification = {
  kind: "finished",
  experiment: { name: "checkout", namespace: "shop" },
  version: "v2",
  message: "v2 won: every objective met, conversion +3.1%.",
  at: new Date("2026-11-26T06:10:00Z"),
};

function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

describe("webhook notifications", () => {
  it("posts a Slack-compatible JSON body with a text line and the facts", async () => {
    const hook = await webhookServer([]);
    const notifier = webhookNotifier({ url: hook.url });
    notifier.notify(finished);
    await notifier.idle();
    expect(hook.received).toEqual([
      {
        method: "POST",
        contentType: "application/json",
        body: {
          text: ":checkered_flag: Experiment finished: *shop/checkout* (v2). v2 won: every objective met, conversion +3.1%.",
          cohort: {
            event: "finished",
            experiment: "checkout",
            namespace: "shop",
            version: "v2",
            message: "v2 won: every objective met, conversion +3.1%.",
            time: "2026-11-26T06:10:00.000Z",
          },
        },
      },
    ]);
  });

  it("retries 5xx and 429 with doubling waits, honouring Retry-After, until it is delivered", async () => {
    const hook = await webhookServer([503, 500, 429]);
    const clock = recordingSleep();
    const notifier = webhookNotifier({ url: hook.url, backoffMs: 100, sleep: clock.sleep });
    notifier.notify(finished);
    await notifier.idle();
    expect(hook.received.length).toBe(4);
    expect(clock.waits).toEqual([100, 200, 400]);
  });

  it("waits as long as Retry-After says, up to the longest backoff", async () => {
    const hook = await webhookServer([429, 429], { "retry-after": "7" });
    const clock = recordingSleep();
    const notifier = webhookNotifier({
      url: hook.url,
      backoffMs: 100,
      maxBackoffMs: 5000,
      sleep: clock.sleep,
    });
    notifier.notify(finished);
    await notifier.idle();
    expect(clock.waits).toEqual([5000, 5000]);
  });

  it("gives up after the configured retries and logs it without the URL", async () => {
    const hook = await webhookServer([502, 502, 502, 502]);
    const clock = recordingSleep();
    const lines: string[] = [];
    const log = createLogger({}, { write: (l) => lines.push(l), level: "warn" });
    const notifier = webhookNotifier({
      url: hook.url,
      retries: 2,
      backoffMs: 10,
      sleep: clock.sleep,
      log,
    });
    notifier.notify(finished);
    await notifier.idle();
    expect(hook.received.length).toBe(3);
    expect(clock.waits).toEqual([10, 20]);
    const logged = lines.map((l) => JSON.parse(l));
    expect(logged).toMatchObject([
      {
        level: "warn",
        msg: "webhook notification given up",
        event: "finished",
        why: "HTTP 502",
        attempts: 3,
      },
    ]);
    expect(lines.join("")).not.toContain(hook.url);
  });

  it("does not retry a request the service refuses as wrong (4xx)", async () => {
    const hook = await webhookServer([404]);
    const clock = recordingSleep();
    const notifier = webhookNotifier({ url: hook.url, sleep: clock.sleep });
    notifier.notify(finished);
    await notifier.idle();
    expect(hook.received.length).toBe(1);
    expect(clock.waits).toEqual([]);
  });

  it("retries when nothing listens, and never throws to the caller", async () => {
    const hook = await webhookServer([]);
    const dead = hook.url.replace(/:\d+\//, ":1/");
    const clock = recordingSleep();
    const notifier = webhookNotifier({ url: dead, retries: 1, backoffMs: 10, sleep: clock.sleep });
    expect(() => notifier.notify(finished)).not.toThrow();
    await expect(notifier.idle()).resolves.toBeUndefined();
    expect(clock.waits).toEqual([10]);
  });

  it("returns from notify before the delivery, and delivers in the order notified", async () => {
    const hook = await webhookServer([503]);
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const notifier = webhookNotifier({ url: hook.url, sleep: () => gate });
    notifier.notify({ ...finished, kind: "started", version: undefined, message: "Canary of v2." });
    notifier.notify({ ...finished, kind: "rollback", message: "v2 broke latency-p99." });
    notifier.notify(finished);
    // the first delivery failed and waits on the (held) clock: nothing else went out meanwhile
    await new Promise((r) => setImmediate(r));
    release();
    await notifier.idle();
    expect(
      hook.received.map((r) => (r.body as { cohort: { event: string } }).cohort.event),
    ).toEqual(["started", "started", "rollback", "finished"]);
  });

  it("sends to COHORT_WEBHOOK_URL when it is set, and nothing when it is not", async () => {
    const hook = await webhookServer([]);
    const notifier = notifierFromEnv({ COHORT_WEBHOOK_URL: hook.url });
    notifier.notify(finished);
    await notifier.idle();
    expect(hook.received.length).toBe(1);
    expect(notifierFromEnv({})).toBe(silentNotifier);
    expect(notifierFromEnv({ COHORT_WEBHOOK_URL: "" })).toBe(silentNotifier);
  });
});
