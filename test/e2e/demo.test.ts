/**
 * `npm start`'s demo end to end: the built binary starts four versions, the sidecar and the load,
 * and the experiment must end the way the README says — v2 wins on conversion, v3 is rejected on
 * its p99 objective, the dark v4 is assessed by the core from mirrored traffic alone (it passes, so
 * mirroring continues) — within 90 s of looks, with the promotion written into the kustomization
 * and the report on disk.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { spawnCohort } from "./cohort-process.js";

interface Objective {
  metric: string;
  status: string;
}
interface State {
  looks: number;
  status: {
    phase: string;
    winner: string | null;
    versions: Record<
      string,
      { role?: string; validated: boolean | null; objectives: Objective[]; reward?: unknown }
    >;
    comparisons: { version: string; against: string; better: boolean }[];
    weights: Record<string, number>;
    actions: { kind: string }[];
  };
  observed: Record<string, { requests: number }>;
  promotion: { version: string; state: string } | null;
  history: { elapsedSeconds: number }[];
}

describe("cohort demo (npm start)", { timeout: 180_000 }, () => {
  let dir: string;
  let stdout: string[];
  let code: number | null;
  let state: State;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "cohort-demo-"));
    const p = spawnCohort(["demo", "--dir", join(dir, "out")], dir);
    code = await p.exited;
    stdout = p.stdout;
    state = JSON.parse(await readFile(join(dir, "out", "state.json"), "utf8")) as State;
  }, 170_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("ends with v2 the winner, promoted into the kustomization, and exits 0", async () => {
    expect(code).toBe(0);
    expect(state.status.phase).toBe("Completed");
    expect(state.status.winner).toBe("v2");
    expect(state.promotion).toMatchObject({ version: "v2", state: "Promoted" });
    const k = parse(await readFile(join(dir, "out", "prod", "kustomization.yaml"), "utf8"));
    expect(k.images).toEqual([{ name: "shop", newTag: "1.1.0" }]);
    expect(stdout).toContain("verdict: Completed, winner v2");
  });

  it("picks v2 because its conversion beats the baseline's with confidence", () => {
    const v2 = state.status.versions.v2;
    expect(v2?.validated).toBe(true);
    expect(
      state.status.comparisons.some((c) => c.version === "v2" && c.against === "v1" && c.better),
    ).toBe(true);
  });

  it("rejects v3 on its p99 latency objective and on nothing else", () => {
    const v3 = state.status.versions.v3;
    expect(v3?.validated).toBe(false);
    const failing = v3?.objectives.filter((o) => o.status === "fail").map((o) => o.metric);
    expect(failing).toEqual(["latency-p99"]);
  });

  it("assesses the dark v4 in the core from mirrored requests alone, and keeps mirroring to it", () => {
    // v4 is in no split: its only requests are the mirrored copies its cluster answered
    const v4 = state.status.versions.v4;
    expect(v4?.role).toBe("dark");
    expect(v4?.validated).toBe(true);
    expect(v4?.objectives.map((o) => o.status)).toEqual(["pass", "pass"]);
    expect(v4?.reward).toBeUndefined();
    expect(state.status.weights.v4).toBeUndefined();
    expect(state.status.actions.map((a) => a.kind)).not.toContain("stop-mirror");
    expect(state.observed.v4?.requests ?? 0).toBeGreaterThan(0);
    const line = stdout.find((l) => l.startsWith("dark v4 "));
    expect(line).toMatch(
      /^dark v4 \((\d+) mirrored req\)\s+✔ latency-p99 ≤ 250: .*✔ error-rate ≤ 0.01/,
    );
    expect(Number(line?.match(/\((\d+) mirrored/)?.[1])).toBe(state.observed.v4?.requests);
  });

  it("shows the dark v4 at every look, its mirrored requests growing", () => {
    const counts = stdout
      .filter((l) => l.startsWith("    v4 ("))
      .map((l) => Number(l.match(/^ {4}v4 \((\d+) mirrored req\)/)?.[1]));
    const held = stdout.filter((l) => /^look \d+ .*held:/.test(l)).length;
    expect(counts.length).toBe(state.looks - held);
    for (let i = 1; i < counts.length; i++)
      expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1] as number);
    expect(counts[counts.length - 1]).toBe(state.observed.v4?.requests);
  });

  it("decides within 90 seconds of looks and shows its progress live", () => {
    const last = state.history[state.history.length - 1];
    expect(last?.elapsedSeconds).toBeLessThanOrEqual(90);
    expect(stdout.filter((l) => /^look \d+ t=/.test(l)).length).toBe(state.looks);
  });

  it("writes the HTML report where it says", async () => {
    const where = stdout.find((l) => l.startsWith("report: "))?.slice("report: ".length);
    expect(where).toBe(join(dir, "out", "report.html"));
    const html = await readFile(where as string, "utf8");
    expect(html).toContain('<h1>Experiment <span class="name">shop-demo</span></h1>');
    expect(html).toContain("v2 is validated and its reward is better with confidence than v1");
  });
});
