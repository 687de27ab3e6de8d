import { describe, expect, it } from "vitest";
import type { Controller } from "../../../controller/src/kube/controller.js";
import {
  canarySpec,
  type Harness,
  HEALTHY,
  ports,
  type RecordingPromoter,
  type SyntheticMetrics,
  useHarness,
} from "./harness.js";

let h: Harness;
let metrics: SyntheticMetrics;
let promoter: RecordingPromoter;
let c: Controller;

useHarness(async (x) => {
  h = x;
  const p = ports();
  metrics = p.provider;
  promoter = p.promoter;
  c = await h.controller("replica-a", p);
});

const weightsInPlugin = (h: Harness) =>
  h.pluginConfig().experiments.map((e) => [e.name, e.versions.map((v) => `${v.name}=${v.weight}`)]);

describe("cohort controller: an experiment from creation to promotion", () => {
  it("starts with the initial weights, ramps, finds the winner, promotes it once and says so", async () => {
    await h.create(c, "checkout", canarySpec());

    let exp = h.experiment("checkout");
    expect(exp.status).toMatchObject({
      phase: "Pending",
      iteration: 0,
      observedGeneration: 1,
      weights: { v1: 90, v2: 10 },
      weightsSummary: "v1=90,v2=10",
    });
    expect(weightsInPlugin(h)).toEqual([["checkout", ["v1=90", "v2=10"]]]);
    expect(h.eventReasons("checkout")).toEqual(["Started"]);
    // the first step sets weights without asking the metrics source
    expect(metrics.requests).toHaveLength(0);

    await h.advance(30_000);
    exp = h.experiment("checkout");
    expect(exp.status).toMatchObject({ phase: "Running", iteration: 1, winner: "v2" });
    expect(metrics.requests.map((r) => r.elapsedSeconds)).toEqual([30]);
    expect(weightsInPlugin(h)).toEqual([["checkout", ["v1=70", "v2=30"]]]);

    await h.advance(30_000);
    exp = h.experiment("checkout");
    expect(exp.status).toMatchObject({
      phase: "Completed",
      iteration: 2,
      winner: "v2",
      promotion: { version: "v2", state: "Promoted", actionId: "promote-v2", attempts: 0 },
    });
    const conditions = h.conditions("checkout");
    expect(conditions).toEqual({
      SpecValid: "True/Valid",
      ObjectivesMet: "True/AllValidated",
      WinnerFound: "True/WinnerFound",
      Completed: "True/Completed",
    });
    expect(promoter.calls).toEqual([{ experiment: "shop/checkout", version: "v2" }]);
    expect(weightsInPlugin(h)).toEqual([["checkout", ["v1=0", "v2=100"]]]);
    expect(h.eventReasons("checkout")).toEqual([
      "Started",
      "WinnerFound",
      "Promoting",
      "Completed",
      "Promoted",
    ]);

    // a finished experiment is left alone: no looks, no writes, no second promotion
    const patches = h.statusPatches("checkout");
    await h.advance(300_000);
    expect(h.statusPatches("checkout")).toBe(patches);
    expect(metrics.requests).toHaveLength(2);
    expect(promoter.calls).toHaveLength(1);
  });

  it("exposes experiments by phase, iterations, decisions, weights and reconcile latency on /metrics", async () => {
    await h.create(c, "checkout", canarySpec());
    await h.advance(60_000);

    const text = await c.metrics.registry.metrics();
    expect(text).toContain('cohort_controller_experiments{phase="Completed"} 1');
    expect(text).toContain(
      'cohort_controller_iterations_total{namespace="shop",experiment="checkout"} 2',
    );
    expect(text).toContain(
      'cohort_controller_decisions_total{namespace="shop",experiment="checkout",decision="promoted"} 1',
    );
    expect(text).toContain(
      'cohort_controller_weight{namespace="shop",experiment="checkout",version="v2"} 100',
    );
    expect(text).toMatch(
      /cohort_controller_reconcile_duration_seconds_count\{outcome="ok"\} [1-9]/,
    );
    expect(text).toContain("cohort_controller_leader 1");
  });

  it("holds without data: the weights stay, the message says why, and the look is retried next interval", async () => {
    await h.create(c, "checkout", canarySpec());
    metrics.noData = true;
    await h.advance(30_000);
    expect(h.experiment("checkout").status).toMatchObject({
      phase: "Pending",
      iteration: 0,
      weights: { v1: 90, v2: 10 },
      message: "Holding: no data for metric requests for version v1: no series",
    });
    metrics.noData = false;
    await h.advance(30_000);
    expect(h.experiment("checkout").status).toMatchObject({ phase: "Running", iteration: 1 });
    expect(metrics.requests.map((r) => r.elapsedSeconds)).toEqual([30, 60]);
  });

  it("rolls a failing candidate back: all traffic to the baseline, nothing promoted, and says so", async () => {
    metrics.shapes = { v1: HEALTHY, v2: { ...HEALTHY, errorRate: 0.08 } };
    await h.create(c, "checkout", canarySpec());
    for (let i = 0; i < 5 && h.experiment("checkout").status?.phase !== "RolledBack"; i++)
      await h.advance(30_000);

    expect(h.experiment("checkout").status).toMatchObject({
      phase: "RolledBack",
      weights: { v1: 100, v2: 0 },
    });
    expect(h.conditions("checkout")).toMatchObject({
      ObjectivesMet: "False/ObjectiveFailed",
      Completed: "True/RolledBack",
    });
    expect(weightsInPlugin(h)).toEqual([["checkout", ["v1=100", "v2=0"]]]);
    // the baseline is the winner of a Canary whose candidate fails
    expect(h.experiment("checkout").status?.winner).toBe("v1");
    expect(h.eventReasons("checkout")).toEqual([
      "Started",
      "Rollback",
      "WinnerFound",
      "RolledBack",
    ]);
    expect(h.actionIds("checkout")).toContain("rollback-v2");
    expect(promoter.calls).toEqual([]);
  });
});
