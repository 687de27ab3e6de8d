import { describe, expect, it } from "vitest";
import type { ExperimentSpec } from "../../../controller/src/core/experiment/index.js";
import type { Observations } from "../../../controller/src/core/observations.js";
import { type ReconcileResult, reconcile } from "../../../controller/src/core/reconcile.js";
import type { ExperimentStatus } from "../../../controller/src/core/status.js";
import { observations, spec, type VersionShape } from "./scenario.js";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const at = (i: number) => new Date(T0 + i * 30_000);

/** Cumulative observations at look `i` (30 s apart), each version growing as `perLook` says. */
function look(i: number, perLook: Record<string, VersionShape>): Observations {
  const scaled = Object.fromEntries(
    Object.entries(perLook).map(([v, s]) => [
      v,
      {
        ...s,
        requests: s.requests * i,
        ...(s.conversions === undefined ? {} : { conversions: s.conversions * i }),
      },
    ]),
  );
  return observations(scaled, 30 * i);
}

/** Runs looks 1..n, feeding each status back in; optionally through JSON as a restart would. */
function run(
  s: ExperimentSpec,
  n: number,
  perLook: Record<string, VersionShape>,
  viaJson = false,
): ReconcileResult[] {
  const out: ReconcileResult[] = [];
  let status: ExperimentStatus | undefined;
  for (let i = 1; i <= n; i++) {
    const r = reconcile(s, status, look(i, perLook), at(i));
    out.push(r);
    status = viaJson ? (JSON.parse(JSON.stringify(r.status)) as ExperimentStatus) : r.status;
  }
  return out;
}

const kinds = (results: ReconcileResult[]) => results.flatMap((r) => r.actions.map((a) => a.id));

const healthy: VersionShape = { requests: 2000, errorRate: 0.002, slow: 0.001 };

describe("reconcile", () => {
  it("starts Running, sets the first weights and says so in the printer-column summary", () => {
    const [first] = run(spec("Canary"), 1, { v1: { requests: 100 }, v2: { requests: 10 } });
    expect(first?.status.phase).toBe("Running");
    expect(first?.status.iteration).toBe(1);
    // the canary starts at one increment (10) and ramps by one more at the first look
    expect(first?.actions).toMatchObject([{ kind: "set-weights", weights: { v1: 80, v2: 20 } }]);
    expect(first?.status.weightsSummary).toBe("v1=80,v2=20");
  });

  it("waits in Pending without traffic, setting the initial weights once", () => {
    const s = spec("Canary");
    const empty = observations({ v1: { requests: 0 }, v2: { requests: 0 } }, 30);
    const first = reconcile(s, undefined, empty, at(1));
    expect(first.status.phase).toBe("Pending");
    expect(first.status.iteration).toBe(0);
    // a canary starts its candidate at maxCandidateWeightIncrement, so data arrive from the start
    expect(first.actions).toMatchObject([{ kind: "set-weights", weights: { v1: 90, v2: 10 } }]);
    const second = reconcile(s, first.status, { ...empty, elapsedSeconds: 60 }, at(2));
    expect(second.status.phase).toBe("Pending");
    expect(second.actions).toEqual([]);
  });

  it("is idempotent: the same observations twice change nothing and emit nothing", () => {
    const s = spec("Canary");
    const obs = look(1, { v1: healthy, v2: { requests: 200, errorRate: 0.002 } });
    const first = reconcile(s, undefined, obs, at(1));
    const again = reconcile(s, first.status, obs, at(2));
    expect(again.actions).toEqual([]);
    expect(again.status).toEqual(first.status);
    expect(again.weights).toEqual(first.weights);
  });

  it("rolls a failing Canary candidate back once, then stays RolledBack whatever comes", () => {
    const results = run(spec("Canary"), 4, {
      v1: healthy,
      v2: { requests: 2000, errorRate: 0.08 },
    });
    const [first, ...rest] = results;
    expect(first?.status.phase).toBe("RolledBack");
    expect(first?.weights).toEqual({ v1: 100, v2: 0 });
    expect(first?.actions.map((a) => a.id)).toEqual(["rollback-v2", "set-weights-1"]);
    for (const r of rest) {
      expect(r.actions).toEqual([]);
      expect(r.status.phase).toBe("RolledBack");
    }
    expect(first?.status.conditions.find((c) => c.type === "ObjectivesMet")).toMatchObject({
      status: "False",
      reason: "ObjectiveFailed",
      message: "v2 fails error-rate",
    });
  });

  it("rolls back a failing A/B/n candidate once and carries on with the others", () => {
    const results = run(spec("ABN"), 3, {
      v1: { ...healthy, conversions: 60 },
      v2: { requests: 2000, errorRate: 0.08, conversions: 60 },
      v3: { ...healthy, conversions: 60 },
      v4: { ...healthy, conversions: 60 },
    });
    expect(kinds(results).filter((id) => id.startsWith("rollback"))).toEqual(["rollback-v2"]);
    for (const r of results) {
      expect(r.status.phase).toBe("Running");
      expect(r.weights.v2).toBe(0);
    }
  });

  it("ramps a validated Canary candidate within the increment, completes at full weight and promotes once", () => {
    const results = run(spec("Canary"), 14, { v1: healthy, v2: healthy });
    const v2 = results.map((r) => r.weights.v2);
    expect(results[0]?.status.winner).toBe("v2");
    // from the start at 10, 10 points per look until the cap of 100
    expect(v2.slice(0, 9)).toEqual([20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(results[8]?.status.phase).toBe("Completed");
    expect(kinds(results).filter((id) => id.startsWith("promote"))).toEqual(["promote-v2"]);
    for (const r of results.slice(9)) expect(r.actions).toEqual([]);
  });

  it("stops the ramp at maxCandidateWeight, then completes and promotes", () => {
    const s = spec("Canary", {
      weights: { maxCandidateWeight: 50, maxCandidateWeightIncrement: 20 },
    });
    const results = run(s, 3, { v1: healthy, v2: healthy });
    // starts at 20, 40 after the first look, then 50 (the cap, not 60): complete, promoted
    expect(results.map((r) => r.status.weightsHistory.at(-1)?.weights.v2)).toEqual([40, 100, 100]);
    expect(results[1]?.status.phase).toBe("Completed");
    expect(results[1]?.actions.map((a) => a.kind)).toEqual(["set-weights", "promote"]);
  });

  it("ends an A/A test at maxIterations with no winner and promotes the baseline", () => {
    const s = spec("AB", { duration: { intervalSeconds: 30, maxIterations: 5 } });
    const same: VersionShape = { ...healthy, conversions: 60 };
    const results = run(s, 6, { v1: same, v2: same });
    const last = results[4];
    expect(last?.status.phase).toBe("Completed");
    expect(last?.status.winner).toBeNull();
    expect(last?.status.recommended).toBe("v1");
    expect(last?.weights).toEqual({ v1: 100, v2: 0 });
    expect(kinds(results).filter((id) => id.startsWith("promote"))).toEqual(["promote-v1"]);
    expect(last?.status.conditions.find((c) => c.type === "WinnerFound")).toMatchObject({
      status: "False",
      reason: "NoWinner",
    });
    expect(results[5]?.actions).toEqual([]);
  });

  it("ends at maxIterations without promoting a baseline that fails an objective, keeping its traffic and saying why", () => {
    const s = spec("AB", { duration: { intervalSeconds: 30, maxIterations: 3 } });
    const results = run(s, 3, {
      v1: { requests: 5000, errorRate: 0.05, slow: 0.001, conversions: 150 },
      v2: { requests: 5, errorRate: 0, slow: 0, conversions: 0 },
    });
    const last = results[2];
    expect(last?.status.versions.v1?.validated).toBe(false);
    expect(last?.status.versions.v2?.validated).toBeNull();
    expect(last?.status.phase).toBe("Completed");
    expect(last?.status.winner).toBeNull();
    expect(last?.weights).toEqual({ v1: 100, v2: 0 });
    expect(kinds(results).filter((id) => id.startsWith("promote"))).toEqual([]);
    expect(last?.status.message).toContain("v1 keeps the traffic but is not promoted");
    expect(last?.status.conditions.find((c) => c.type === "Completed")?.message).toContain(
      "not promoted: it fails an objective",
    );
  });

  it("never moves FixedSplit weights while the experiment runs", () => {
    const s = spec("AB", {
      deploymentPattern: "FixedSplit",
      baseline: { name: "v1", weight: 70 },
      candidates: [{ name: "v2", weight: 30 }],
    });
    const results = run(s, 4, {
      v1: { requests: 50, conversions: 2 },
      v2: { requests: 20, conversions: 1 },
    });
    for (const r of results) {
      expect(r.status.phase).toBe("Running");
      expect(r.weights).toEqual({ v1: 70, v2: 30 });
    }
    expect(kinds(results)).toEqual(["set-weights-1"]);
  });

  it("completes a Conformance test when the baseline is validated and promotes it", () => {
    const [r] = run(spec("Conformance"), 1, {
      v1: { requests: 20000, errorRate: 0.002, slow: 0.001 },
    });
    expect(r?.status.phase).toBe("Completed");
    expect(r?.weights).toEqual({ v1: 100 });
    expect(r?.actions.map((a) => a.id)).toEqual(["set-weights-1", "promote-v1"]);
  });

  it("completes a Conformance test whose baseline fails, promoting nothing", () => {
    const [r] = run(spec("Conformance"), 1, { v1: { requests: 20000, errorRate: 0.05 } });
    expect(r?.status.phase).toBe("Completed");
    expect(r?.status.winner).toBeNull();
    expect(r?.actions.map((a) => a.kind)).toEqual(["set-weights"]);
    expect(r?.status.message).toContain("does not conform");
  });

  it("continues identically after a restart from the stored (JSON) status, Thompson sampling included", () => {
    const perLook = {
      v1: { ...healthy, conversions: 60 },
      v2: { ...healthy, conversions: 64 },
      v3: { ...healthy, conversions: 80 },
      v4: { ...healthy, conversions: 58 },
    };
    const inMemory = run(spec("ABN"), 6, perLook);
    const restarted = run(spec("ABN"), 6, perLook, true);
    expect(restarted.map((r) => r.weights)).toEqual(inMemory.map((r) => r.weights));
    expect(restarted.map((r) => r.actions)).toEqual(inMemory.map((r) => r.actions));
    expect(restarted.at(-1)?.status.rngState).toEqual(inMemory.at(-1)?.status.rngState);
  });

  it("keeps a condition's lastTransitionTime while its status holds", () => {
    const results = run(
      spec("Canary", { weights: { maxCandidateWeight: 100, maxCandidateWeightIncrement: 5 } }),
      3,
      {
        v1: healthy,
        v2: healthy,
      },
    );
    const times = results.map(
      (r) => r.status.conditions.find((c) => c.type === "WinnerFound")?.lastTransitionTime,
    );
    expect(times).toEqual([at(1).toISOString(), at(1).toISOString(), at(1).toISOString()]);
    const completed = results.map(
      (r) => r.status.conditions.find((c) => c.type === "Completed")?.status,
    );
    expect(completed).toEqual(["False", "False", "False"]);
  });

  it("holds on impossible observations: nothing moves and the message says why", () => {
    const s = spec("Canary");
    const [first] = run(s, 1, { v1: healthy, v2: { requests: 200, errorRate: 0.002 } });
    const bad: Observations = {
      elapsedSeconds: 60,
      versions: { v1: { requests: 100, errors: 500 }, v2: { requests: 10, errors: 0 } },
    };
    const r = reconcile(s, first?.status, bad, at(2));
    expect(r.actions).toEqual([]);
    expect(r.status.iteration).toBe(1);
    expect(r.weights).toEqual(first?.weights);
    expect(r.status.message).toMatch(/^observations rejected: .*successes \(500\) must not exceed/);
  });

  it("turns an invalid spec into a Failed status naming the field, without actions", () => {
    const bad = spec("Canary", { candidates: [] });
    const r = reconcile(bad, undefined, look(1, { v1: healthy }), at(1));
    expect(r.status.phase).toBe("Failed");
    expect(r.actions).toEqual([]);
    const cond = r.status.conditions.find((c) => c.type === "SpecValid");
    expect(cond?.status).toBe("False");
    expect(cond?.message).toContain("spec.candidates");
  });
});
