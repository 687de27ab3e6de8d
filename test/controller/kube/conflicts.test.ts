import { describe, expect, it } from "vitest";
import {
  canarySpec,
  EXP,
  type Harness,
  HEALTHY,
  merge,
  NS,
  RecordingPromoter,
  SyntheticMetrics,
  useHarness,
} from "./harness.js";

let h: Harness;

useHarness((x) => {
  h = x;
});

describe("cohort controller: write conflicts", () => {
  it("re-reads and retries a status write refused with 409, recording the look once", async () => {
    const metrics = new SyntheticMetrics({ v1: HEALTHY, v2: HEALTHY });
    const c = await h.controller("replica-a", {
      provider: metrics,
      promoter: new RecordingPromoter(),
    });
    await h.create(c, "checkout", canarySpec());

    const rule = h.fake.failNext(
      { verb: "patch", resource: "experiments", subresource: "status" },
      "conflict",
      2,
    );
    const mark = h.fake.lastRequestSeq;
    await h.advance(30_000);
    expect(rule.hits).toBe(2);
    expect(h.experiment("checkout").status).toMatchObject({ phase: "Running", iteration: 1 });
    const statusWrites = h.fake.requests(
      (r) => r.seq > mark && r.resource === "experiments" && r.subresource === "status",
    );
    expect(statusWrites.map((r) => r.status)).toEqual([409, 409, 200]);
    // each attempt read the experiment again before deciding
    const reads = h.fake.requests(
      (r) => r.seq > mark && r.verb === "get" && r.resource === "experiments",
    );
    expect(reads).toHaveLength(3);
    expect(h.actionIds("checkout")).toEqual(["set-weights-0", "set-weights-1"]);
  });

  it("gets a real 409 when someone writes between its read and its write, then decides again from the fresh read", async () => {
    const metrics = new SyntheticMetrics({ v1: HEALTHY, v2: HEALTHY });
    const c = await h.controller("replica-a", {
      provider: metrics,
      promoter: new RecordingPromoter(),
    });
    await h.create(c, "checkout", canarySpec());
    // someone annotates the experiment while the controller is collecting its metrics
    let edits = 0;
    metrics.onCollect = async () => {
      if (edits++ > 0) return;
      await h.custom.patchNamespacedCustomObject(
        {
          ...EXP,
          namespace: NS,
          name: "checkout",
          body: { metadata: { annotations: { owner: "team-checkout" } } },
        },
        merge,
      );
    };
    const mark = h.fake.lastRequestSeq;
    await h.advance(30_000);

    const writes = h.fake.requests(
      (r) => r.seq > mark && r.subresource === "status" && r.verb === "patch",
    );
    expect(writes.map((r) => [r.contentType, r.status, r.injected])).toEqual([
      ["application/merge-patch+json", 409, undefined],
      ["application/merge-patch+json", 200, undefined],
    ]);
    expect(metrics.requests.map((r) => r.elapsedSeconds)).toEqual([30, 30]);
    const exp = h.experiment("checkout");
    expect(exp.metadata?.annotations).toEqual({ owner: "team-checkout" });
    expect(exp.status).toMatchObject({ phase: "Running", iteration: 1 });
  });
});
