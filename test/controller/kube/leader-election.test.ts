import { describe, expect, it } from "vitest";
import { canarySpec, type Harness, LEASE_NS, ports, useHarness } from "./harness.js";

let h: Harness;

useHarness((x) => {
  h = x;
});

const lease = () =>
  h.fake.object("leases", LEASE_NS, "cohort-controller")?.spec as {
    holderIdentity?: string;
    leaseTransitions?: number;
  };

describe("cohort controller: leader election with a Lease", () => {
  it("lets only the replica holding the Lease act; the other never looks, promotes or writes events", async () => {
    const a = ports();
    const b = ports();
    const ca = await h.controller("replica-a", a);
    const cb = await h.controller("replica-b", b);
    expect([ca.isLeader(), cb.isLeader()]).toEqual([true, false]);
    expect(lease().holderIdentity).toBe("replica-a");

    await h.create(ca, "checkout", canarySpec());
    await h.advance(90_000);

    expect(h.experiment("checkout").status).toMatchObject({ phase: "Completed", iteration: 2 });
    expect(a.provider.requests).toHaveLength(2);
    expect(a.promoter.calls).toHaveLength(1);
    expect(b.provider.requests).toHaveLength(0);
    expect(b.promoter.calls).toHaveLength(0);
    const instances = new Set(
      h.fake.objects("events", "shop").map((e) => String(e.reportingInstance)),
    );
    expect([...instances]).toEqual(["replica-a"]);
    // one status write per step: start, two looks, promoting → promoted; one config per weights
    expect(h.statusPatches("checkout")).toBe(4);
    expect(h.wasmPluginPatches()).toBe(3);
    expect(await cb.metrics.registry.getSingleMetricAsString("cohort_controller_leader")).toContain(
      "cohort_controller_leader 0",
    );
  });

  it("hands over at once when the leader shuts down and releases the Lease; the new leader carries on", async () => {
    const a = ports();
    const b = ports();
    const ca = await h.controller("replica-a", a);
    const cb = await h.controller("replica-b", b);
    await h.create(ca, "checkout", canarySpec());
    await h.advance(30_000);
    expect(h.experiment("checkout").status).toMatchObject({ phase: "Running", iteration: 1 });

    await ca.stop();
    expect(lease().holderIdentity).toBe("");
    // the standby's next round (every 2 s) finds the Lease released
    await h.advance(2_000);
    expect(cb.isLeader()).toBe(true);
    expect(lease()).toMatchObject({ holderIdentity: "replica-b", leaseTransitions: 1 });

    await h.advance(30_000);
    expect(h.experiment("checkout").status).toMatchObject({ phase: "Completed", iteration: 2 });
    expect(a.promoter.calls).toEqual([]);
    expect(b.promoter.calls).toEqual([{ experiment: "shop/checkout", version: "v2" }]);
    expect(h.eventReasons("checkout").filter((r) => r === "Started")).toHaveLength(1);
  });

  it("stops a leader that cannot renew before anyone else may take over, so two never lead at once", async () => {
    const ca = await h.controller("replica-a", ports());
    const cb = await h.controller("replica-b", ports());
    // the API server refuses every Lease write for a while (both replicas' writes)
    h.fake.failNext({ resource: "leases", verb: "update" }, "unavailable", 1000);
    const leaders: string[] = [];
    for (let s = 0; s < 30; s++) {
      await h.advance(1_000);
      leaders.push(`${ca.isLeader() ? "a" : ""}${cb.isLeader() ? "b" : ""}`);
    }
    // a leads until its renew deadline (10 s after its last renewal), then nobody does
    expect(leaders.slice(0, 9).every((l) => l === "a")).toBe(true);
    expect(leaders.slice(10).every((l) => l === "")).toBe(true);
    h.fake.clearFaults();
    // once writes work again, b (which saw no renewal for > 15 s) takes the expired Lease
    for (let s = 0; s < 4 && !cb.isLeader() && !ca.isLeader(); s++) await h.advance(1_000);
    expect([ca.isLeader() || cb.isLeader(), ca.isLeader() && cb.isLeader()]).toEqual([true, false]);
  });

  it("takes over a Lease whose holder vanished without releasing it, once it has expired", async () => {
    // a Lease held by a replica that crashed: nobody renews it any more
    h.fake.seed({
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { name: "cohort-controller", namespace: LEASE_NS },
      spec: {
        holderIdentity: "crashed-replica",
        leaseDurationSeconds: 15,
        acquireTime: "2026-01-01T00:00:00.000000Z",
        renewTime: "2026-01-01T00:00:00.000000Z",
        leaseTransitions: 3,
      },
    });
    const cb = await h.controller("replica-b", ports());
    await h.advance(14_000);
    expect(cb.isLeader()).toBe(false);
    expect(lease().holderIdentity).toBe("crashed-replica");
    await h.advance(2_000);
    expect(cb.isLeader()).toBe(true);
    expect(lease()).toMatchObject({ holderIdentity: "replica-b", leaseTransitions: 4 });
  });
});
