import { describe, expect, it } from "vitest";
import type { Controller } from "../../../controller/src/kube/controller.js";
import {
  canarySpec,
  EXP,
  type Harness,
  merge,
  NS,
  ports,
  type SyntheticMetrics,
  useHarness,
} from "./harness.js";

let h: Harness;
let c: Controller;
let metrics: SyntheticMetrics;

useHarness(async (x) => {
  h = x;
  const p = ports();
  metrics = p.provider;
  c = await h.controller("replica-a", p);
});

describe("cohort controller: invalid specs", () => {
  it("turns an invalid spec into a Failed condition naming the field, once, without looping or crashing", async () => {
    const errors: unknown[] = [];
    c.events.on("sync-error", (_k, e) => errors.push(e));
    await h.create(c, "broken", {
      ...canarySpec(),
      weights: { maxCandidateWeight: 150, maxCandidateWeightIncrement: 20 },
    });

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
    await h.create(c, "checkout", { ...canarySpec(), target: "Shop/Checkout!" });
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
    await h.create(c, "checkout", canarySpec());
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
