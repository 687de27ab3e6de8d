import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Controller } from "../../../controller/src/kube/controller.js";
import {
  canarySpec,
  EXP,
  Harness,
  HEALTHY,
  merge,
  NS,
  RecordingPromoter,
  SyntheticMetrics,
} from "./harness.js";

let h: Harness;
let c: Controller;
let metrics: SyntheticMetrics;

beforeEach(async () => {
  h = await Harness.start();
  metrics = new SyntheticMetrics({ v1: HEALTHY, v2: HEALTHY });
  c = await h.controller("replica-a", { provider: metrics, promoter: new RecordingPromoter() });
});
afterEach(async () => {
  await h.stop();
});

describe("cohort controller: invalid specs", () => {
  it("turns an invalid spec into a Failed condition naming the field, once, without looping or crashing", async () => {
    const errors: unknown[] = [];
    c.events.on("sync-error", (_k, e) => errors.push(e));
    const synced = h.nextSync(c, "broken");
    await h.createExperiment("broken", {
      ...canarySpec(),
      weights: { maxCandidateWeight: 150, maxCandidateWeightIncrement: 20 },
    });
    await synced;

    const message =
      "invalid spec: spec.weights.maxCandidateWeight: must be between 0 and 100, not 150";
    expect(h.experiment("broken").status).toMatchObject({
      phase: "Failed",
      observedGeneration: 1,
      message,
    });
    expect(h.conditions("broken")).toEqual({ SpecValid: "False/InvalidSpec" });
    expect(h.eventReasons("broken")).toEqual(["InvalidSpec"]);
    const writes = h.statusPatches("broken");
    await h.advance(120_000);
    expect(h.statusPatches("broken")).toBe(writes);
    expect(metrics.requests).toHaveLength(0);
    expect(errors).toEqual([]);
    // it routes nothing
    expect(h.pluginConfig().experiments).toEqual([]);
  });

  it("starts the experiment afresh once the spec is fixed (a new generation)", async () => {
    const synced = h.nextSync(c, "checkout");
    await h.createExperiment("checkout", { ...canarySpec(), target: "Shop/Checkout!" });
    await synced;
    expect(h.experiment("checkout").status).toMatchObject({
      phase: "Failed",
      message:
        'invalid spec: spec.target: cannot derive hosts from "Shop/Checkout!" (expected "namespace/service" or "service"); set spec.traffic.hosts',
    });

    const fixed = h.nextSync(c, "checkout");
    await h.custom.patchNamespacedCustomObject(
      { ...EXP, namespace: NS, name: "checkout", body: { spec: { target: "shop/checkout" } } },
      merge,
    );
    await fixed;
    expect(h.experiment("checkout").status).toMatchObject({
      phase: "Pending",
      observedGeneration: 2,
      weights: { v1: 90, v2: 10 },
    });
    expect(h.conditions("checkout").SpecValid).toBe("True/Valid");
    expect(h.eventReasons("checkout")).toEqual(["InvalidSpec", "Started"]);
  });

  it("fails a running experiment whose spec is edited into an invalid one, and stops routing it", async () => {
    const synced = h.nextSync(c, "checkout");
    await h.createExperiment("checkout", canarySpec());
    await synced;
    await h.advance(30_000);
    expect(h.pluginConfig().experiments.map((e) => e.name)).toEqual(["checkout"]);

    const broken = h.nextSync(c, "checkout");
    await h.custom.patchNamespacedCustomObject(
      {
        ...EXP,
        namespace: NS,
        name: "checkout",
        body: { spec: { duration: { intervalSeconds: -5 } } },
      },
      merge,
    );
    await broken;
    expect(h.experiment("checkout").status).toMatchObject({
      phase: "Failed",
      iteration: 1,
      observedGeneration: 2,
      message: "invalid spec: spec.duration.intervalSeconds: must be above 0, not -5",
    });
    expect(h.pluginConfig().experiments).toEqual([]);
  });
});
