/**
 * A `kill -9` inside a look, between storing its step and the sidecar taking the new weights. The
 * kill is reproduced exactly: an admin port in front of an already running sidecar sees the
 * rollback's push, copies the state file as it is at that instant (what a kill leaves on disk),
 * stops the run, and either drops the push or lets it through (the two sides of the window).
 * The run is then resumed from that copy against the same sidecar. And a push the sidecar refuses
 * after the step was stored: the look holds instead.
 */
import { readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { readState } from "../../../controller/src/local/state-file.js";
import { webhookNotifier } from "../../../controller/src/notify/index.js";
import { startExternalSidecar } from "./external-sidecar.js";
import { runLocal, workspace } from "./harness.js";
import { startUpstream, type Upstream } from "./upstream.js";
import { startWebhookReceiver } from "./webhook-receiver.js";

interface Served {
  experiments: { versions: { name: string; weight: number }[] }[];
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function upstream(b: Parameters<typeof startUpstream>[0] = {}): Promise<Upstream> {
  const u = await startUpstream(b);
  closers.push(() => u.close());
  return u;
}

/** What the admin port in front of the sidecar does with a pushed config. */
type PushFate = "forward" | "drop" | "refuse";

/**
 * An admin port forwarding to `admin`; each pushed config goes to `onPush` with the weight it
 * gives v2, which says whether the sidecar gets it, the push is lost, or it is refused (HTTP 500).
 */
async function interposedAdmin(
  admin: string,
  onPush: (v2Weight: number | undefined) => Promise<PushFate>,
): Promise<string> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const isPush = req.method === "POST" && req.url === "/plugin-config";
      const fate = isPush
        ? await onPush(
            (JSON.parse(body) as Served).experiments[0]?.versions.find((v) => v.name === "v2")
              ?.weight,
          )
        : "forward";
      if (fate !== "forward") {
        res.writeHead(fate === "drop" ? 200 : 500).end(fate === "drop" ? "" : "refused");
        return;
      }
      const r = await fetch(`${admin}${req.url}`, {
        method: req.method ?? "GET",
        ...(isPush ? { body, headers: { "content-type": "application/json" } } : {}),
      });
      res.writeHead(r.status, { "content-type": r.headers.get("content-type") ?? "text/plain" });
      res.end(Buffer.from(await r.arrayBuffer()));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  closers.push(
    () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function served(admin: string): Promise<Record<string, number>> {
  const s = (await (await fetch(`${admin}/plugin-config`)).json()) as Served;
  return Object.fromEntries((s.experiments[0]?.versions ?? []).map((v) => [v.name, v.weight]));
}

describe.each([
  ["before the sidecar takes the rollback's weights", false],
  ["after the sidecar took the rollback's weights", true],
])("a run killed during its rollback look, %s", (_when, forwardTheKilledPush) => {
  it("resumes serving the stored weights from its first request: the rolled-back version gets no traffic", async () => {
    const ws = await workspace();
    const [v1, v2] = [await upstream(), await upstream({ failEvery: 3 })];
    const sidecar = await startExternalSidecar(v1.url, v2.url);
    closers.push(() => sidecar.stop());
    const t = {
      v1: v1.url,
      v2: v2.url,
      rate: 400,
      errorLimit: 0.05,
      spec: { baseline: { name: "v1" }, candidates: [{ name: "v2" }] },
    };

    const stop = new AbortController();
    // null: no state file yet at the kill
    let onDisk: string | null | undefined;
    // the first push that takes v2's traffic away is the kill; nothing of the run reaches the sidecar after it
    const admin = await interposedAdmin(sidecar.adminUrl, async (v2Weight) => {
      if (onDisk !== undefined) return "drop";
      if (v2Weight !== 0) return "forward";
      onDisk = await readFile(ws.statePath, "utf8").catch(() => null);
      stop.abort();
      return forwardTheKilledPush ? "forward" : "drop";
    });
    await runLocal(ws, t, { sidecarAdminUrl: admin, signal: stop.signal });
    if (onDisk === undefined) throw new Error("the run never pushed a rollback");
    // what the kill left: the state file of that instant (the run's later writes never happened)
    if (onDisk === null) await rm(ws.statePath, { force: true });
    else await writeFile(ws.statePath, onDisk);
    const stored = await readState(ws.statePath);
    // the sidecar, meanwhile, serves the rollback's weights or still the old split
    expect((await served(sidecar.adminUrl)).v2 === 0).toBe(forwardTheKilledPush);

    const v2Before = v2.requests;
    const hook = await startWebhookReceiver();
    closers.push(() => hook.close());
    const resumed = await runLocal(ws, t, {
      sidecarAdminUrl: sidecar.adminUrl,
      notifier: webhookNotifier({ url: hook.url }),
    });
    // every user, first request included, goes to the baseline: none reached v2 since the kill
    for (let u = 0; u < 40; u++)
      await fetch(sidecar.url, { headers: { "x-user-id": `user-${u}` } }).then((r) => r.text());
    expect(v2.requests).toBe(v2Before);
    expect(await served(sidecar.adminUrl)).toEqual({ v1: 100, v2: 0 });
    expect(resumed.phase).toBe("RolledBack");
    // the step was on disk before the push, and the history never claims v2 kept traffic after it
    expect(stored?.status?.phase).toBe("RolledBack");
    expect(resumed.state.history.at(-1)?.weights).toEqual({ v1: 100, v2: 0 });
    // the rollback's notifications belong to the killed look: the resumed run repeats none
    expect(hook.events()).toEqual([]);
  });
});

describe("a sidecar that refuses a look's weights", () => {
  it("holds the look: the stored state never claims them, no chat message, and the next look retries", async () => {
    const ws = await workspace();
    const [v1, v2] = [await upstream(), await upstream({ failEvery: 3 })];
    const sidecar = await startExternalSidecar(v1.url, v2.url);
    closers.push(() => sidecar.stop());
    const hook = await startWebhookReceiver();
    closers.push(() => hook.close());
    let refused: { phase: string | undefined } | undefined;
    const admin = await interposedAdmin(sidecar.adminUrl, async (v2Weight) => {
      if (v2Weight !== 0 || refused !== undefined) return "forward";
      refused = { phase: (await readState(ws.statePath))?.status?.phase };
      return "refuse";
    });
    const r = await runLocal(
      ws,
      {
        v1: v1.url,
        v2: v2.url,
        rate: 400,
        errorLimit: 0.05,
        spec: { baseline: { name: "v1" }, candidates: [{ name: "v2" }] },
      },
      { sidecarAdminUrl: admin, notifier: webhookNotifier({ url: hook.url }) },
    );
    // the rollback was on disk when the push went out (intent first)...
    expect(refused?.phase).toBe("RolledBack");
    // ...and replaced by a hold when it was refused; the next look rolled back for good
    const held = r.state.history.filter((l) => l.held !== undefined);
    expect(held).toHaveLength(1);
    expect(held[0]?.held).toMatch(/^weights not applied: .*refused the plugin config: HTTP 500/);
    expect(held[0]?.weights).not.toEqual({ v1: 100, v2: 0 });
    expect(r.phase).toBe("RolledBack");
    expect(await served(sidecar.adminUrl)).toEqual({ v1: 100, v2: 0 });
    expect(hook.events().filter((e) => e === "rollback v2")).toHaveLength(1);
  });
});
