/**
 * `cohort run` end to end as a user runs it: the built binary in a child process, real upstream
 * servers and our sidecar on loopback, the real clock with short intervals.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { experimentYaml, type TestExperiment } from "../controller/local/experiment.js";
import { workspace } from "../controller/local/harness.js";
import { startUpstream, type Upstream } from "../controller/local/upstream.js";
import { spawnCohort } from "./cohort-process.js";

const started: Upstream[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((u) => u.close()));
});

async function setup(t: Partial<TestExperiment> = {}) {
  const ws = await workspace();
  const v1 = await startUpstream();
  const v2 = await startUpstream();
  started.push(v1, v2);
  const file = join(ws.dir, "experiment.yaml");
  await writeFile(
    file,
    experimentYaml({ v1: v1.url, v2: v2.url, promotedFile: ws.promotedFile, ...t }),
  );
  const args = ["run", file, "--json", "--state", ws.statePath];
  return { ws, file, args, v1, v2 };
}

describe("cohort run (the binary)", { timeout: 30_000 }, () => {
  it("ends stdout with one JSON line of the outcome and exits 0 on a verdict", async () => {
    const { ws, args } = await setup({ rate: 400 });
    const p = spawnCohort(args, ws.dir);
    expect(await p.exited).toBe(0);
    const last = JSON.parse(p.stdout.filter(Boolean).at(-1) ?? "null");
    expect(last).toEqual({
      winner: "v2",
      recommended: "v2",
      weights: { v1: 0, v2: 100 },
      phase: "Completed",
      reportPath: join(ws.dir, "checkout.report.html"),
    });
    const html = await readFile(last.reportPath, "utf8");
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain("v2");
    expect(p.stderr).toContain(`report: ${last.reportPath}`);
    // progress and the describe table go to stderr with --json
    expect(p.stdout.filter(Boolean)).toHaveLength(1);
    expect(p.stderr.some((l) => l.startsWith("look 1 "))).toBe(true);
    expect(p.stderr.join("\n")).toContain("****** Winner ******");
    expect(ws.promotions()).toEqual(["checkout v2"]);
  });

  it("resumes after kill -9 and promotes exactly once", async () => {
    const { ws, args } = await setup({ rate: 300, maxIterations: 10 });
    const first = spawnCohort(args, ws.dir);
    await first.waitForLine((l) => l.startsWith("look 1 "));
    first.child.kill("SIGKILL");
    expect(await first.exited).toBeNull();
    expect(ws.promotions()).toEqual([]);

    const second = spawnCohort(args, ws.dir);
    expect(await second.exited).toBe(0);
    expect(second.stderr.some((l) => /^resuming after look [1-9]/.test(l))).toBe(true);
    expect(JSON.parse(second.stdout.filter(Boolean).at(-1) ?? "null").winner).toBe("v2");
    expect(ws.promotions()).toEqual(["checkout v2"]);

    // and once more after the verdict: nothing is promoted again
    const third = spawnCohort(args, ws.dir);
    expect(await third.exited).toBe(0);
    expect(ws.promotions()).toEqual(["checkout v2"]);
  });

  it("promotes once when killed right after deciding to promote", async () => {
    const { ws, args } = await setup({ rate: 400, idempotentPromotion: true });
    const first = spawnCohort(args, ws.dir);
    await first.waitForLine((l) => l.includes("decision: promote v2"));
    first.child.kill("SIGKILL");
    await first.exited;

    // the intent was on disk before the promoter ran: the restart finishes it, whatever the kill hit
    const second = spawnCohort(args, ws.dir);
    expect(await second.exited).toBe(0);
    expect(ws.promotions()).toEqual(["checkout v2"]);
    const state = JSON.parse(await readFile(ws.statePath, "utf8"));
    expect(state.promotion).toMatchObject({ version: "v2", state: "Promoted" });
  });

  it("stops on SIGINT with the state saved, exits 130, and resumes on the next run", async () => {
    const { ws, args } = await setup({ rate: 300, maxIterations: 10 });
    const first = spawnCohort(args, ws.dir);
    await first.waitForLine((l) => l.startsWith("look 1 "));
    first.child.kill("SIGINT");
    expect(await first.exited).toBe(130);
    expect(first.stderr.join("\n")).toContain("interrupted: stopping after the current step");
    const saved = JSON.parse(await readFile(ws.statePath, "utf8"));
    expect(saved.looks).toBeGreaterThanOrEqual(1);

    const second = spawnCohort(args, ws.dir);
    expect(await second.exited).toBe(0);
    expect(second.stderr).toContain(
      `resuming after look ${saved.looks} (iteration ${saved.status.iteration}, ${saved.status.phase})`,
    );
    expect(ws.promotions()).toEqual(["checkout v2"]);
  });

  it("explains its options and exit codes in --help", async () => {
    const p = spawnCohort(["run", "--help"], process.cwd());
    expect(await p.exited).toBe(0);
    const help = p.stdout.join("\n");
    for (const option of [
      "--json",
      "--state <file>",
      "--fresh",
      "--sidecar <adminUrl>",
      "--prometheus <url>",
    ])
      expect(help).toContain(option);
    expect(help).toContain("Exit status 0 when the experiment reached a verdict");
  });

  it("exits 3 with no winner when no traffic came", async () => {
    const { ws, args } = await setup({ maxIterations: 2, intervalSeconds: 0.1 });
    const p = spawnCohort(args, ws.dir);
    expect(await p.exited).toBe(3);
    const last = JSON.parse(p.stdout.filter(Boolean).at(-1) ?? "null");
    expect(last).toMatchObject({ winner: null, phase: "Pending" });
    expect(p.stderr.join("\n")).toContain("No verdict after 4 looks");
    expect(ws.promotions()).toEqual([]);
  });

  it("refuses an invalid experiment file, naming the line and field, and starts nothing", async () => {
    const { ws, file, args, v1, v2 } = await setup({ rate: 400 });
    await writeFile(
      file,
      experimentYaml({ v1: v1.url, v2: v2.url, promotedFile: ws.promotedFile, rate: 400 }).replace(
        "intervalSeconds: 0.25",
        "intervalSeconds: -1",
      ),
    );
    const p = spawnCohort(args, ws.dir);
    expect(await p.exited).toBe(1);
    const err = p.stderr.join("\n");
    expect(err).toMatch(/experiment\.yaml:\d+: spec\.duration\.intervalSeconds: /);
    expect(err).toContain("is not a valid experiment; nothing was started");
    expect(err).not.toContain("sidecar http://");
    expect(p.stdout.filter(Boolean)).toEqual([]);
    expect(v1.requests + v2.requests).toBe(0);
    expect(ws.promotions()).toEqual([]);
  });
});
