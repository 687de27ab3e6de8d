import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lookBudget } from "../../../controller/src/local/runner.js";
import { readState } from "../../../controller/src/local/state-file.js";
import { startExternalSidecar } from "./external-sidecar.js";
import { closedAfterEach, runLocal, workspace } from "./harness.js";
import { startUpstream } from "./upstream.js";

const track = closedAfterEach();
async function upstream(b: Parameters<typeof startUpstream>[0] = {}) {
  return track(await startUpstream(b));
}

describe("cohort run, in process on a virtual clock", () => {
  it("validates a healthy candidate, moves all traffic to it and promotes it once", async () => {
    const ws = await workspace();
    const [v1, v2] = [await upstream(), await upstream()];
    const r = await runLocal(ws, { v1: v1.url, v2: v2.url, rate: 400 });

    expect(r.end).toBe("verdict");
    expect(r.phase).toBe("Completed");
    expect(r.winner).toBe("v2");
    expect(r.weights).toEqual({ v1: 0, v2: 100 });
    expect(r.promoted).toBe("v2");
    expect(ws.promotions()).toEqual(["checkout v2"]);
    expect(v1.requests).toBeGreaterThan(0);
    expect(v2.requests).toBeGreaterThan(0);
    expect(r.lines.some((l) => l.includes("decision: promote v2"))).toBe(true);
    expect(r.lines).toContain("  promotion: v2 promoted with command.");
    expect(r.summary).toContain("Winner: v2");
    const stored = await readState(ws.statePath);
    expect(stored?.status?.phase).toBe("Completed");
    expect(stored?.promotion?.state).toBe("Promoted");
  });

  it("does nothing again when run after the verdict: no look, no load, no second promotion", async () => {
    const ws = await workspace();
    const [v1, v2] = [await upstream(), await upstream()];
    const first = await runLocal(ws, { v1: v1.url, v2: v2.url, rate: 400 });
    const served = v1.requests + v2.requests;
    const again = await runLocal(ws, { v1: v1.url, v2: v2.url, rate: 400 });

    expect(again.end).toBe("verdict");
    expect(again.winner).toBe("v2");
    expect(again.state.looks).toBe(first.state.looks);
    expect(v1.requests + v2.requests).toBe(served);
    expect(ws.promotions()).toEqual(["checkout v2"]);
  });

  it("rolls back a candidate that fails one request in three and promotes nothing", async () => {
    const ws = await workspace();
    const [v1, v2] = [await upstream(), await upstream({ failEvery: 3 })];
    const r = await runLocal(ws, { v1: v1.url, v2: v2.url, rate: 400, errorLimit: 0.05 });

    expect(r.end).toBe("verdict");
    expect(r.phase).toBe("RolledBack");
    expect(r.weights).toEqual({ v1: 100, v2: 0 });
    expect(r.promoted).toBeNull();
    expect(ws.promotions()).toEqual([]);
    expect(r.lines.some((l) => l.includes("decision: roll back v2"))).toBe(true);
  });

  it("holds every look without traffic and ends with no winner after its look budget", async () => {
    const ws = await workspace();
    const [v1, v2] = [await upstream(), await upstream()];
    const r = await runLocal(ws, { v1: v1.url, v2: v2.url, maxIterations: 3 });

    expect(r.end).toBe("no-verdict");
    expect(r.winner).toBeNull();
    expect(r.phase).toBe("Pending");
    expect(r.state.looks).toBe(lookBudget(3));
    expect(r.status?.iteration).toBe(0);
    expect(r.promoted).toBeNull();
    expect(ws.promotions()).toEqual([]);
  });

  it("never promotes a candidate whose upstream goes down mid-run", async () => {
    const ws = await workspace();
    const [v1, v2] = [await upstream(), await upstream({ downAfter: 40 })];
    const r = await runLocal(ws, { v1: v1.url, v2: v2.url, rate: 400, maxIterations: 8 });

    expect(v2.down).toBe(true);
    expect(r.promoted).not.toBe("v2");
    expect(ws.promotions()).not.toContain("checkout v2");
    expect(r.weights.v2 ?? 0).toBe(0);
    expect(r.lines.join("\n")).toContain("decision: roll back v2");
  });

  it("resumes an interrupted run from the state file and keeps the counts seen before", async () => {
    const ws = await workspace();
    const [v1, v2] = [await upstream(), await upstream()];
    const stop = new AbortController();
    const first = await runLocal(
      ws,
      { v1: v1.url, v2: v2.url, rate: 200, errorLimit: 0.05, maxIterations: 10 },
      {
        signal: stop.signal,
        progress: (l) => {
          if (l.startsWith("look 2 ")) stop.abort();
        },
      },
    );
    expect(first.end).toBe("interrupted");
    expect(first.state.looks).toBe(2);
    const seen = first.state.observed.v1?.requests ?? 0;

    const second = await runLocal(ws, {
      v1: v1.url,
      v2: v2.url,
      rate: 200,
      errorLimit: 0.05,
      maxIterations: 10,
    });
    expect(second.lines).toContain("resuming after look 2 (iteration 2, Running)");
    expect(second.end).toBe("verdict");
    expect(second.state.history[0]?.look).toBe(1);
    // the restarted sidecar counts from zero; the run adds what the first one saw
    expect(seen).toBeGreaterThan(0);
    expect(second.state.observed.v1?.requests).toBe(v1.requests);
    expect(second.state.observed.v2?.requests).toBe(v2.requests);
    expect(ws.promotions()).toEqual(["checkout v2"]);
  });

  it("refuses a state file written for another spec, and starts over with fresh", async () => {
    const ws = await workspace();
    const [v1, v2] = [await upstream(), await upstream()];
    await runLocal(ws, { v1: v1.url, v2: v2.url, maxIterations: 1 });

    await expect(runLocal(ws, { v1: v1.url, v2: v2.url, maxIterations: 2 })).rejects.toThrow(
      `${ws.statePath} holds a run of an earlier version of this experiment`,
    );
    const fresh = await runLocal(ws, { v1: v1.url, v2: v2.url, maxIterations: 2 }, { fresh: true });
    expect(fresh.state.looks).toBe(lookBudget(2));
  });

  it("refuses a version without url before anything starts", async () => {
    const ws = await workspace();
    const v1 = await upstream();
    await expect(
      runLocal(ws, { v1: v1.url, v2: undefined as unknown as string, rate: 100 }),
    ).rejects.toThrow(
      "cohort run starts a sidecar in front of every version, so each needs a url: missing spec.candidates[0].url",
    );
    expect(existsSync(ws.statePath)).toBe(false);
    expect(v1.requests).toBe(0);
  });

  it("copies a share of users to the dark version at sidecar.mirrorUrl and counts them", async () => {
    const ws = await workspace();
    const [v1, v2, v3] = [await upstream(), await upstream(), await upstream()];
    const r = await runLocal(ws, {
      v1: v1.url,
      v2: v2.url,
      rate: 400,
      spec: {
        traffic: { stickyKey: ["header:x-user-id"], mirror: { version: "v3", percent: 50 } },
        sidecar: { mirrorUrl: v3.url },
      },
    });
    expect(r.end).toBe("verdict");
    expect(v3.requests).toBeGreaterThan(0);
    expect(r.state.observed.v3?.requests).toBe(v3.requests);
  });

  it("stops mirroring to a dark version that fails an objective, once, and carries on", async () => {
    const ws = await workspace();
    // v2 at 1 error in 12 stays undecided against 10%, so looks go on after the dark v3 fails
    const [v1, v2, v3] = [
      await upstream(),
      await upstream({ failEvery: 12 }),
      await upstream({ failEvery: 2 }),
    ];
    const lines: string[] = [];
    let atStop: { split: number; v3: number } | undefined;
    const r = await runLocal(
      ws,
      {
        v1: v1.url,
        v2: v2.url,
        rate: 400,
        maxIterations: 10,
        spec: {
          traffic: { stickyKey: ["header:x-user-id"], mirror: { version: "v3", percent: 50 } },
          sidecar: { mirrorUrl: v3.url },
        },
      },
      {
        progress: (l) => {
          lines.push(l);
          if (l.includes("decision: stop mirroring to v3"))
            atStop = { split: v1.requests + v2.requests, v3: v3.requests };
        },
      },
    );
    expect(r.end).toBe("verdict");
    const status = r.state.status;
    expect(status?.versions.v3?.role).toBe("dark");
    expect(status?.versions.v3?.validated).toBe(false);
    expect(status?.actions.filter((a) => a.kind === "stop-mirror").map((a) => a.id)).toEqual([
      "stop-mirror-v3",
    ]);
    expect(lines.filter((l) => l.includes("decision: stop mirroring to v3"))).toHaveLength(1);
    if (atStop === undefined) throw new Error("no stop-mirror decision was printed");
    // the pushed config has no mirror: v3 gets at most the copies already in flight
    expect(v1.requests + v2.requests - atStop.split).toBeGreaterThan(300);
    expect(v3.requests - atStop.v3).toBeLessThan(10);
    // the split is untouched: v2 was not rolled back
    expect(status?.actions.some((a) => a.kind === "rollback")).toBe(false);
  });

  it("drives a sidecar that is already running through its admin port", async () => {
    const ws = await workspace();
    const [v1, v2] = [await upstream(), await upstream()];
    const sidecar = await startExternalSidecar(v1.url, v2.url);
    try {
      const r = await runLocal(
        ws,
        {
          v1: v1.url,
          v2: v2.url,
          rate: 400,
          spec: { baseline: { name: "v1" }, candidates: [{ name: "v2" }] },
        },
        { sidecarAdminUrl: sidecar.adminUrl },
      );
      expect(r.end).toBe("verdict");
      expect(r.winner).toBe("v2");
      expect(v2.requests).toBeGreaterThan(0);
      const served = (await (await fetch(`${sidecar.adminUrl}/plugin-config`)).json()) as {
        experiments: { name: string; versions: { name: string; weight: number }[] }[];
      };
      expect(served.experiments[0]?.versions).toEqual([
        { name: "v1", weight: 0 },
        { name: "v2", weight: 100 },
      ]);
    } finally {
      await sidecar.stop();
    }
  });

  it("keeps the verdict when the promotion fails, and promotes on the next run without a new look", async () => {
    const ws = await workspace();
    const [v1, v2] = [await upstream(), await upstream()];
    const ready = join(ws.dir, "ready");
    const promotion = {
      kind: "command",
      command: {
        args: [
          "sh",
          "-c",
          'test -f "$0" && echo "$COHORT_EXPERIMENT $COHORT_VERSION" >> "$1"',
          ready,
          ws.promotedFile,
        ],
      },
    };
    const t = { v1: v1.url, v2: v2.url, rate: 400, spec: { promotion } };
    await expect(runLocal(ws, t)).rejects.toThrow(
      `promotion of v2 failed; the verdict is kept in ${ws.statePath} and running the same command again retries it`,
    );
    const failed = await readState(ws.statePath);
    expect(failed?.status?.phase).toBe("Completed");
    expect(failed?.promotion).toMatchObject({ version: "v2", state: "Promoting", attempts: 1 });

    await writeFile(ready, "");
    const retried = await runLocal(ws, t);
    expect(retried.promoted).toBe("v2");
    expect(retried.state.looks).toBe(failed?.looks);
    expect(ws.promotions()).toEqual(["checkout v2"]);
  });

  it("prints each look's estimates, one-sided intervals included", async () => {
    const ws = await workspace();
    const [v1, v2] = [await upstream(), await upstream()];
    const r = await runLocal(ws, {
      v1: v1.url,
      v2: v2.url,
      rate: 400,
      maxIterations: 2,
      spec: { criteria: { objectives: [{ metric: "latency-p99", upperLimit: 250 }] } },
    });
    const look1 = r.lines.findIndex((l) => l.startsWith("look 1 "));
    expect(r.lines[look1 + 1]).toMatch(
      /^ {4}v1 \(\d+ req\) {2}[✔?] latency-p99 ≤ 250: [\d.]+ \[[\d.]+, (∞|[\d.]+)\]$/,
    );
    // the canary starts at maxCandidateWeightIncrement (10%), so v2 has data at the first look
    expect(r.lines[look1 + 2]).toMatch(
      /^ {4}v2 \(\d+ req\) {2}[✔?] latency-p99 ≤ 250: [\d.]+ \[[\d.]+, (∞|[\d.]+)\]$/,
    );
    expect(r.lines.join("\n")).toContain(", ∞]");
  });

  it("says nothing was changed when the spec promotes with kind none", async () => {
    const ws = await workspace();
    const [v1, v2] = [await upstream(), await upstream()];
    const r = await runLocal(ws, {
      v1: v1.url,
      v2: v2.url,
      rate: 400,
      spec: { promotion: { kind: "none" } },
    });
    expect(r.promoted).toBe("v2");
    expect(r.lines).toContain(
      "  promotion: v2 won; promotion kind is none, so nothing was changed.",
    );
    expect(ws.promotions()).toEqual([]);
  });
});
