import { describe, expect, it, vi } from "vitest";
import { main } from "../../../controller/src/cli/program.js";
import { createLogger } from "../../../controller/src/log.js";
import { webhookNotifier } from "../../../controller/src/notify/index.js";
import { closedAfterEach, runLocal, workspace } from "./harness.js";
import { startUpstream } from "./upstream.js";
import { startWebhookReceiver } from "./webhook-receiver.js";

const track = closedAfterEach();
async function versions(b: Parameters<typeof startUpstream>[0] = {}) {
  const [v1, v2] = [track(await startUpstream()), track(await startUpstream(b))];
  return { v1: v1.url, v2: v2.url };
}
async function receiver(opts: { silent?: boolean } = {}) {
  return track(await startWebhookReceiver(opts));
}

describe("cohort run's webhook notifications", () => {
  it("announces the start, then the finish with the promoted winner, once each", async () => {
    const ws = await workspace();
    const hook = await receiver();
    const r = await runLocal(
      ws,
      { ...(await versions()), rate: 400 },
      { notifier: webhookNotifier({ url: hook.url }) },
    );

    expect(r.promoted).toBe("v2");
    expect(hook.events()).toEqual(["started -", "finished v2"]);
    expect(hook.received[1]?.cohort).toMatchObject({ experiment: "checkout", namespace: null });
    expect(hook.received[1]?.text).toContain("*checkout* (v2). Completed:");
  });

  it("announces a rollback, then the finish, for a candidate that fails its objective", async () => {
    const ws = await workspace();
    const hook = await receiver();
    const r = await runLocal(
      ws,
      { ...(await versions({ failEvery: 3 })), rate: 400, errorLimit: 0.05 },
      { notifier: webhookNotifier({ url: hook.url }) },
    );

    expect(r.phase).toBe("RolledBack");
    // the canary gets traffic from the first interval, so v2 fails at the first look, before the
    // baseline is validated: the finish names no winner (the baseline stays, nothing is promoted)
    expect(hook.events()).toEqual(["started -", "rollback v2", "finished -"]);
    expect(hook.received.at(-1)?.cohort.message).toMatch(/^RolledBack: /);
  });

  it("repeats nothing when an interrupted run is resumed", async () => {
    const ws = await workspace();
    const hook = await receiver();
    const t = { ...(await versions()), rate: 200, errorLimit: 0.05, maxIterations: 10 };
    const stop = new AbortController();
    const first = await runLocal(ws, t, {
      notifier: webhookNotifier({ url: hook.url }),
      signal: stop.signal,
      progress: (l) => {
        if (l.startsWith("look 2 ")) stop.abort();
      },
    });
    expect(first.end).toBe("interrupted");
    expect(hook.events()).toEqual(["started -"]);

    const second = await runLocal(ws, t, { notifier: webhookNotifier({ url: hook.url }) });
    expect(second.lines).toContain("resuming after look 2 (iteration 2, Running)");
    expect(second.promoted).toBe("v2");
    expect(hook.events()).toEqual(["started -", "finished v2"]);

    const again = await runLocal(ws, t, { notifier: webhookNotifier({ url: hook.url }) });
    expect(again.end).toBe("verdict");
    expect(hook.events()).toEqual(["started -", "finished v2"]);
  });

  it("announces once that mirroring to a failing dark version stopped, even across a resume", async () => {
    const ws = await workspace();
    const hook = await receiver();
    // v2 at 1 error in 12 stays undecided against 10 %, so looks go on after the dark v3 fails
    const [v1, v2, v3] = [
      track(await startUpstream()),
      track(await startUpstream({ failEvery: 12 })),
      track(await startUpstream({ failEvery: 2 })),
    ];
    const t = {
      v1: v1.url,
      v2: v2.url,
      rate: 400,
      maxIterations: 10,
      spec: {
        traffic: { stickyKey: ["header:x-user-id"], mirror: { version: "v3", percent: 50 } },
        sidecar: { mirrorUrl: v3.url },
      },
    };
    const stop = new AbortController();
    const first = await runLocal(ws, t, {
      notifier: webhookNotifier({ url: hook.url }),
      signal: stop.signal,
      progress: (l) => {
        if (l.includes("decision: stop mirroring to v3")) stop.abort();
      },
    });
    expect(first.end).toBe("interrupted");
    expect(hook.events()).toEqual(["started -", "mirror-stopped v3"]);
    expect(hook.received[1]?.text).toBe(
      ":no_entry: Mirroring stopped: *checkout* (v3). v3 no longer receives mirrored traffic: the dark version fails error-rate ≤ 0.1.",
    );

    const second = await runLocal(ws, t, { notifier: webhookNotifier({ url: hook.url }) });
    expect(second.end).toBe("verdict");
    expect(second.lines.some((l) => l.startsWith("resuming after look "))).toBe(true);
    // the resumed run announces only its finish
    expect(hook.events()).toHaveLength(3);
    expect(hook.events().slice(0, 2)).toEqual(["started -", "mirror-stopped v3"]);
    expect(hook.events()[2]).toMatch(/^finished /);
  });

  it("reaches and promotes its verdict when the webhook never answers, waiting only so long", async () => {
    const ws = await workspace();
    const hook = await receiver({ silent: true });
    const logged: string[] = [];
    const notifier = webhookNotifier({
      url: hook.url,
      retries: 0,
      log: createLogger({}, { level: "warn", write: (l) => logged.push(l) }),
    });
    const r = await runLocal(
      ws,
      { ...(await versions()), rate: 400 },
      { notifier, notifyWaitMs: 50 },
    );

    expect(r.end).toBe("verdict");
    expect(r.promoted).toBe("v2");
    expect(ws.promotions()).toEqual(["checkout v2"]);
    expect(r.lines).toContain(
      "webhook: notifications still undelivered after 0.05 s; not waiting longer",
    );
    // the service goes away: the held delivery and the queued one are given up, and logged
    await hook.close();
    await notifier.idle();
    expect(logged.filter((l) => l.includes("webhook notification given up"))).toHaveLength(2);
  });
});

describe("cohort run --webhook-url", () => {
  it("refuses a value that is not an http(s) URL, naming the flag, before anything starts", async () => {
    const ws = await workspace();
    const stderr: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      stderr.push(String(chunk));
      return true;
    });
    try {
      for (const url of ["hooks.example.com/cohort", "ftp://hooks.example.com/cohort"]) {
        const state = `${ws.dir}/state.json`;
        expect(
          await main(["run", `${ws.dir}/missing.yaml`, "--state", state, "--webhook-url", url]),
        ).toBe(2);
      }
    } finally {
      spy.mockRestore();
    }
    expect(stderr).toHaveLength(2);
    expect(stderr[0]).toMatch(/^cohort run: --webhook-url: not a URL: "hooks.example.com\/cohort"/);
    expect(stderr[1]).toBe(
      'cohort run: --webhook-url: must be http or https, got "ftp://hooks.example.com/cohort"\n',
    );
  });
});
