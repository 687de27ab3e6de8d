import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../../controller/src/cli/program.js";

const FIX = "test/fixtures/observations";
const EXP = `${FIX}/checkout-ab.yaml`;

async function cohort(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const o = vi.spyOn(process.stdout, "write").mockImplementation((s) => {
    out += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, "write").mockImplementation((s) => {
    err += String(s);
    return true;
  });
  try {
    const code = await main(args);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = undefined;
  }
}

afterEach(() => {
  process.exitCode = undefined;
});

describe("cohort analyze", () => {
  it("prints the JSON analysis and exits 0", async () => {
    const r = await cohort(
      "analyze",
      "--experiment",
      EXP,
      "--observations",
      `${FIX}/checkout-ab-clear.json`,
      "--json",
    );
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.winner).toBe("v2");
    expect(json.recommended).toBe("v2");
    expect(json.versions.v1.validated).toBe(true);
    expect(json.versions.v2.objectives.map((o: { metric: string }) => o.metric)).toEqual([
      "latency-p99",
      "error-rate",
    ]);
    expect(json.versions.v2.reward.metric).toBe("conversion");
    expect(json.weights).toEqual({ v1: 40, v2: 60 });
  });

  it("gives each version its role in the JSON, the dark version judged on objectives only", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cohort-analyze-"));
    const yaml = readFileSync(EXP, "utf8");
    writeFileSync(
      join(dir, "exp.yaml"),
      `${yaml.trimEnd()}\n  traffic: { mirror: { version: v3, percent: 25 } }\n`,
    );
    const obs = JSON.parse(readFileSync(`${FIX}/checkout-ab-clear.json`, "utf8"));
    obs.versions.v3 = { ...obs.versions.v1, requests: 5000, errors: 500 };
    obs.versions.v3.latency = {
      boundsMs: [5, 10, 25, 50, 100],
      counts: [2500, 1500, 990, 8, 2, 0],
    };
    writeFileSync(join(dir, "obs.json"), JSON.stringify(obs));
    const r = await cohort(
      "analyze",
      "-e",
      join(dir, "exp.yaml"),
      "-o",
      join(dir, "obs.json"),
      "--json",
    );
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.versions.v1.role).toBe("baseline");
    expect(json.versions.v2.role).toBe("candidate");
    expect(json.versions.v3.role).toBe("dark");
    // 10% errors against error-rate ≤ 1%
    expect(json.versions.v3.validated).toBe(false);
    expect(json.versions.v3.reward).toBeUndefined();
    // (2 + 1) versions × 2 objectives + 1 reward pair
    expect(json.statements).toBe(7);
    expect(json.winner).toBe("v2");
    expect(Object.keys(json.weights)).toEqual(["v1", "v2"]);
  });

  it("prints the table with the reasons when asked to explain", async () => {
    const r = await cohort("analyze", "-e", EXP, "-o", `${FIX}/checkout-ab-thin.json`, "--explain");
    expect(r.code).toBe(0);
    expect(r.out).toContain("****** Objectives ******");
    expect(r.out).toContain("Winner: none yet");
    expect(r.out).toContain(
      "- v2 is not decided yet: latency-p99, error-rate are still undecided.",
    );
    expect(r.out).toContain("- v2 moves from 10% to 20%.");
  });

  it("says which versions the observations leave out", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cohort-analyze-"));
    writeFileSync(
      join(dir, "obs.json"),
      JSON.stringify({ elapsedSeconds: 60, versions: { v1: { requests: 10, errors: 0 } } }),
    );
    const r = await cohort("analyze", "-e", EXP, "-o", join(dir, "obs.json"));
    expect(r.code).toBe(0);
    expect(r.out).toContain("Message: no observations for v2 (treated as no data yet)");
  });

  it("exits 1 naming the field of a bad observations file", async () => {
    const r = await cohort("analyze", "-e", EXP, "-o", `${FIX}/bad-histogram.json`);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toContain(
      "versions.v1.latency.counts: expected 4 entries (one more than boundsMs), got 3",
    );
  });

  it("exits 1 when the observations file is missing or not JSON", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cohort-analyze-"));
    writeFileSync(join(dir, "obs.json"), "{ not json");
    const missing = await cohort("analyze", "-e", EXP, "-o", join(dir, "none.json"));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain(`cannot read observations file ${join(dir, "none.json")}`);
    const broken = await cohort("analyze", "-e", EXP, "-o", join(dir, "obs.json"));
    expect(broken.code).toBe(1);
    expect(broken.err).toContain("is not valid JSON");
  });

  it("exits 1 with the experiment's problems when it is invalid", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cohort-analyze-"));
    writeFileSync(
      join(dir, "exp.yaml"),
      "apiVersion: cohort.dev/v1alpha1\nkind: Experiment\nmetadata: { name: x }\nspec: { target: t, testingPattern: Canary, baseline: { name: v1 }, criteria: {} }\n",
    );
    const r = await cohort(
      "analyze",
      "-e",
      join(dir, "exp.yaml"),
      "-o",
      `${FIX}/checkout-ab-clear.json`,
    );
    expect(r.code).toBe(1);
    expect(r.err).toContain("is invalid");
  });

  it("refuses to run without --observations", async () => {
    const r = await cohort("analyze", "-e", EXP);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain("--observations");
  });
});

describe("cohort describe", () => {
  it("prints the table of a stored status and exits 0", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cohort-describe-"));
    const status = {
      phase: "Running",
      iteration: 3,
      alpha: 0.05,
      statements: 1,
      alphaPerStatement: 0.05,
      versions: {
        v1: {
          validated: true,
          objectives: [
            {
              metric: "error-rate",
              upperLimit: 0.01,
              status: "pass",
              value: { estimate: 0.002, lower: 0.001, upper: 0.004 },
              reason: "",
            },
          ],
        },
      },
      comparisons: [],
      winner: "v1",
      recommended: "v1",
      winnerReason: "v1 is validated.",
      weights: { v1: 100 },
    };
    writeFileSync(join(dir, "status.json"), JSON.stringify(status));
    const r = await cohort("describe", join(dir, "status.json"));
    expect(r.code).toBe(0);
    expect(r.out).toContain("| error-rate ≤ 0.01 | ✔ 0.002 [0.001, 0.004] |");
    expect(r.out).toContain("Phase: Running");
  });

  it("exits 1 for a file without a status", async () => {
    const r = await cohort("describe", EXP);
    expect(r.code).toBe(1);
    expect(r.err).toContain("status: the Experiment has no status yet");
  });
});
