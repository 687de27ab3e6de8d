import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { EMBEDDED_DEMO_CONFIG } from "../../sidecar/src/demo/demo-config.js";
import { runDemo } from "../../sidecar/src/demo/run-demo.js";

const run = promisify(execFile);
const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

describe("cohort demo", { timeout: 60_000 }, () => {
  it("runs from the CLI and prints a table whose numbers add up", async () => {
    const { stdout, stderr } = await run(process.execPath, [
      "--import",
      "tsx",
      "controller/src/cli/cohort.ts",
      "filter-demo",
      "--users",
      "3000",
    ]);
    expect(stderr).toContain("after the weight change: 3000/3000 users");
    const num = (re: RegExp, from = stdout) => Number(from.match(re)?.[1]);
    const [first = "", second = ""] = stdout.split("weight change ");
    const rows = (part: string) =>
      [...part.matchAll(/^ {2}(v\d+)\s+(\d+)\s+[\d.]+%/gm)].map((m) => Number(m[2]));
    const participants = num(/participants\s+(\d+)/, first);
    expect(rows(first).reduce((a, b) => a + b, 0)).toBe(participants);
    expect(rows(second).reduce((a, b) => a + b, 0)).toBe(num(/participants\s+(\d+)/, second));
    const reasons = [...first.matchAll(/^ {4}([a-z-]+)\s+(\d+)$/gm)].filter(
      (m) => m[1] !== "total",
    );
    expect(reasons.reduce((a, m) => a + Number(m[2]), 0)).toBe(3000);
    expect(num(/total\s+(\d+)/, first)).toBe(3000);
    expect(num(/users who left v2: (\d+)/)).toBe(0);
    expect(num(/users moved to v2: (\d+)/)).toBe((rows(second)[1] ?? 0) - (rows(first)[1] ?? 0));
    expect(stdout).toContain("# TYPE cohort_requests_total counter");
  });

  it("moves users only onto the rising version and keeps shares near their weights", () => {
    const r = runDemo({ config: EMBEDDED_DEMO_CONFIG, users: 4000, seed: 3, shift: 40 });
    expect(sum(r.before.byReason)).toBe(4000);
    expect(sum(r.before.byVersion)).toBe(r.before.participants);
    expect(r.after.participants).toBe(r.before.participants);
    expect(r.leftRising).toBe(0);
    expect(r.movedToRising).toBe((r.after.byVersion.v2 ?? 0) - (r.before.byVersion.v2 ?? 0));
    expect(r.weightsAfter).toEqual({ v1: 50, v2: 50 });
    // Loose bounds: 4000 users, ~2000 participants; 6 standard errors of a 10% share ≈ 4 points.
    const share = (r.before.byVersion.v2 ?? 0) / r.before.participants;
    expect(share).toBeGreaterThan(0.055);
    expect(share).toBeLessThan(0.145);
    expect(r.before.mirrored / r.before.participants).toBeGreaterThan(0.18);
    expect(r.before.mirrored / r.before.participants).toBeLessThan(0.32);
  });
});
