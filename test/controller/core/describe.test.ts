import { describe, expect, it } from "vitest";
import { analyze } from "../../../controller/src/core/analysis.js";
import { describeDecisions } from "../../../controller/src/core/describe.js";
import { formatDifference, formatInterval } from "../../../controller/src/core/describe-format.js";
import {
  describeStoredStatus,
  StatusInvalid,
} from "../../../controller/src/core/describe-status.js";
import { reconcile } from "../../../controller/src/core/reconcile.js";
import { observations, spec } from "./scenario.js";

const clear = observations(
  {
    v1: { requests: 20000, errorRate: 0.002, slow: 0.001, conversions: 600 },
    v2: { requests: 20000, errorRate: 0.03, slow: 0.001, conversions: 900 },
  },
  300,
  { v1: 50, v2: 50 },
);

describe("the describe table", () => {
  const a = analyze(spec("AB"), clear);
  const text = describeDecisions(a, {
    name: "checkout",
    testingPattern: "AB",
    iteration: 10,
    maxIterations: 20,
  });

  it("has a row per objective and a column per version with ✔, ✘ or ? and the interval", () => {
    const row = text.split("\n").find((l) => l.startsWith("| error-rate ≤ 0.01"));
    const cells = row?.split("|").map((c) => c.trim());
    expect(cells?.[2]).toBe(`✔ ${formatInterval(a.versions.v1?.objectives[1]?.value)}`);
    expect(cells?.[3]).toBe(`✘ ${formatInterval(a.versions.v2?.objectives[1]?.value)}`);
    expect(text).toMatch(/\| Validated\s+\| ✔ validated\s+\| ✘ not validated\s+\|/);
  });

  it("shows the reward with its interval and the difference between versions", () => {
    const diff = a.comparisons.find((c) => c.version === "v2" && c.against === "v1");
    expect(text).toContain(
      `| conversion (higher is better) | ${formatInterval(a.versions.v1?.reward?.value)}`,
    );
    expect(text).toContain(`✔ ${formatDifference(diff?.difference)}`);
  });

  it("names the winner, the recommendation and the weights", () => {
    // v2 converts better but fails its error-rate objective: the baseline wins
    expect(text).toContain("Winner: v1\nRecommended: v1");
    expect(text).toMatch(/\| Weight \(%\) \| 100 \| 0\s+\|/);
    expect(text).toContain("Confidence: 0.95 (α = 0.05 split over 5 statements: 0.01 each)");
  });

  it("says a missing winner is final once the experiment has ended, and pending before", () => {
    const open = { ...a, winner: null };
    expect(describeDecisions(open, { phase: "Running" })).toContain("Winner: none yet\n");
    expect(describeDecisions(open, { phase: "Completed" })).toContain("Winner: none\n");
    expect(describeDecisions(open, { phase: "RolledBack" })).toContain("Winner: none\n");
  });

  it("lines every table up: all rows of a table have the same width", () => {
    for (const block of text.split("\n\n")) {
      const rows = block.split("\n").filter((l) => l.startsWith("|") || l.startsWith("+"));
      const widths = new Set(rows.map((r) => [...r].length));
      expect(widths.size).toBeLessThanOrEqual(1);
    }
  });
});

describe("describing a stored status", () => {
  const { status } = reconcile(spec("AB"), undefined, clear, new Date("2026-01-01T00:00:00Z"));
  const stored = JSON.parse(JSON.stringify(status));

  it("prints the same table from a bare status, with phase, conditions and actions", () => {
    const text = describeStoredStatus(stored, "status.json");
    // v2 fails its error-rate objective: the only candidate is rolled back
    expect(text).toContain("Phase: RolledBack");
    expect(text).toContain("Winner: v1");
    expect(text).toMatch(/\| ObjectivesMet \| False\s+\| ObjectiveFailed \| v2 fails error-rate/);
    expect(text).toMatch(/\| rollback-v2\s+\| 1\s+\| rollback v2/);
    expect(text).toMatch(/\| set-weights-1\s+\| 1\s+\| v1=100,v2=0/);
  });

  it("reads an Experiment with .status and shows its name and pattern", () => {
    const doc = {
      apiVersion: "cohort.dev/v1alpha1",
      kind: "Experiment",
      metadata: { name: "checkout" },
      spec: spec("AB"),
      status: stored,
    };
    const text = describeStoredStatus(doc, "exp.yaml");
    expect(text).toContain("Experiment: checkout");
    expect(text).toContain("Testing pattern: AB (Progressive)");
  });

  it("prints unbounded intervals stored as null as ∞", () => {
    const thin = reconcile(
      spec("Canary"),
      undefined,
      observations({ v1: { requests: 20 }, v2: { requests: 5 } }, 30),
      new Date(0),
    );
    const text = describeStoredStatus(JSON.parse(JSON.stringify(thin.status)));
    expect(text).toMatch(/\? \d+ \[\d+, ∞\]/);
  });

  it("says so when no look has been analysed yet, e.g. for an invalid spec", () => {
    const failed = reconcile(spec("Canary", { candidates: [] }), undefined, clear, new Date(0));
    const text = describeStoredStatus(JSON.parse(JSON.stringify(failed.status)));
    expect(text).toContain("Phase: Failed");
    expect(text).toContain("No look has been analysed yet.");
    expect(text).toContain("| SpecValid | False  | InvalidSpec |");
    expect(text).not.toContain("Confidence:");
  });

  it("rejects an Experiment without a status, and names a wrong field", () => {
    expect(() => describeStoredStatus({ kind: "Experiment", spec: {} }, "exp.yaml")).toThrow(
      new StatusInvalid("exp.yaml: status: the Experiment has no status yet"),
    );
    expect(() => describeStoredStatus({ ...stored, weights: "v1=100" }, "s.json")).toThrow(
      "s.json: weights: expected an object by version name",
    );
  });
});
