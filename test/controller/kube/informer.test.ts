import { once } from "node:events";
import { describe, expect, it } from "vitest";
import type { Controller } from "../../../controller/src/kube/controller.js";
import { canarySpec, type Harness, ports, type SyntheticMetrics, useHarness } from "./harness.js";

let h: Harness;
let c: Controller;

let provider: SyntheticMetrics;

useHarness(async (x) => {
  h = x;
  const p = ports();
  provider = p.provider;
  c = await h.controller("replica-a", p);
});

describe("cohort controller: the experiment watch", () => {
  it("restarts its watch after the connection drops and sees experiments created since", async () => {
    const failed = once(c.events, "informer-error");
    expect(h.fake.resetWatches("experiments")).toBe(1);
    await failed;
    expect(h.fake.openWatches("experiments")).toBe(0);
    expect(c.ready).toBe(true);

    // while the watch is down, someone creates an experiment
    await h.createExperiment("checkout", canarySpec());
    const restarted = once(c.events, "informer-started");
    const synced = h.nextSync(c, "checkout");
    await h.advance(1_000); // the first restart is due after 1 s
    await restarted;
    await synced;
    expect(h.fake.openWatches("experiments")).toBe(1);
    expect(h.experiment("checkout").status).toMatchObject({ phase: "Pending" });
  });

  it("re-lists after 410 Gone and acts on what changed while its watch was behind", async () => {
    h.fake.suspendWatches();
    await h.createExperiment("checkout", canarySpec());
    h.fake.compact();
    const mark = h.fake.lastRequestSeq;
    const synced = h.nextSync(c, "checkout");
    h.fake.closeWatches("experiments");
    h.fake.resumeWatches();
    await synced;

    const expired = h.fake.requests((r) => r.seq > mark && r.verb === "watch")[0];
    expect(expired?.watchError).toMatchObject({ code: 410, reason: "Expired" });
    // the informer answered the 410 with a fresh list, then watched from it
    const next = h.fake.requests(
      (r) =>
        r.seq > (expired?.seq ?? 0) &&
        r.resource === "experiments" &&
        (r.verb === "list" || r.verb === "watch"),
    );
    expect(next.slice(0, 2).map((r) => r.verb)).toEqual(["list", "watch"]);
    expect(h.experiment("checkout").status).toMatchObject({ phase: "Pending" });
    // and it keeps working: the next look happens on schedule
    await h.advance(30_000);
    expect(h.experiment("checkout").status).toMatchObject({ phase: "Running", iteration: 1 });
  });

  it("stops cleanly: no watch left open, the Lease released, no work after stop", async () => {
    await h.createExperiment("checkout", canarySpec());
    await c.stop();
    expect(h.fake.openWatches("experiments")).toBe(0);
    const lease = h.fake.object("leases", "cohort-system", "cohort-controller")?.spec as {
      holderIdentity: string;
    };
    expect(lease.holderIdentity).toBe("");
    const requests = h.fake.lastRequestSeq;
    await h.advance(60_000);
    expect(h.fake.lastRequestSeq).toBe(requests);
  });

  it("finishes the sync in flight before it releases the Lease on stop", async () => {
    await h.create(c, "checkout", canarySpec());
    let release = () => {};
    const collecting = new Promise<void>((started) => {
      provider.onCollect = () =>
        new Promise<void>((resolve) => {
          release = resolve;
          started();
        });
    });
    await h.advance(29_000);
    h.clock.advance(1_000); // the look starts and blocks in collect (no waiting for it here)
    await collecting;
    const stopping = c.stop();
    release();
    await stopping;
    expect(h.experiment("checkout").status).toMatchObject({ phase: "Running", iteration: 1 });
    const writes = h.fake.requests(
      (r) => (r.subresource === "status" && r.verb === "patch") || r.resource === "leases",
    );
    // the look in flight was stored before the Lease was released (a stop that did not wait
    // would release first, and the sync would then find itself no longer leader and store nothing)
    expect(writes.at(-1)?.resource).toBe("leases");
    expect(writes.filter((r) => r.subresource === "status").length).toBeGreaterThan(0);
  });

  it("watches only its namespace when given one", async () => {
    const scoped = await h.controller("replica-scoped", ports(), {
      namespace: "elsewhere",
      leaderElection: false,
    });
    await h.create(c, "checkout", canarySpec());
    await h.advance(1_000);
    const watches = h.fake.requests((r) => r.verb === "watch" && r.resource === "experiments");
    expect(watches.map((r) => r.namespace ?? "(all)").sort()).toEqual(["(all)", "elsewhere"]);
    expect(scoped.metrics.registry.getSingleMetric("cohort_controller_experiments")).toBeDefined();
    expect(
      await scoped.metrics.registry.getSingleMetricAsString("cohort_controller_experiments"),
    ).not.toContain("phase=");
  });
});
