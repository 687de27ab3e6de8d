import type { V1Lease } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apiError, connect, type FakeKubeClients } from "./fake-kube/client.js";
import { FakeKubeApiServer } from "./fake-kube/fake-kube-apiserver.js";

const ns = "cohort-system";

let fake: FakeKubeApiServer;
let c: FakeKubeClients;

beforeEach(async () => {
  fake = await FakeKubeApiServer.start();
  c = await connect(fake, ns);
});
afterEach(async () => {
  await fake.stop();
});

function lease(holder: string): V1Lease {
  return {
    metadata: { name: "cohort-controller" },
    spec: {
      holderIdentity: holder,
      leaseDurationSeconds: 15,
      acquireTime: new Date("2026-01-01T00:00:00.000Z"),
      renewTime: new Date("2026-01-01T00:00:00.000Z"),
      leaseTransitions: 0,
    },
  };
}

describe("fake kube API server: coordination.k8s.io Leases", () => {
  it("creates, reads and renews a Lease, replacing it at its resourceVersion", async () => {
    const created = await c.coordination.createNamespacedLease({
      namespace: ns,
      body: lease("replica-a"),
    });
    expect(created.metadata?.namespace).toBe(ns);
    expect(created.spec?.holderIdentity).toBe("replica-a");
    // MicroTime comes back with six fractional digits, and client-node 1.4 leaves it a string
    // although its type says Date: code reading renewTime must accept both.
    expect(created.spec?.renewTime as unknown).toBe("2026-01-01T00:00:00.000000Z");
    expect(fake.requests((r) => r.verb === "create")[0]?.path).toBe(
      "/apis/coordination.k8s.io/v1/namespaces/cohort-system/leases",
    );

    const read = await c.coordination.readNamespacedLease({
      namespace: ns,
      name: "cohort-controller",
    });
    const renewed = await c.coordination.replaceNamespacedLease({
      namespace: ns,
      name: "cohort-controller",
      body: { ...read, spec: { ...read.spec, renewTime: new Date("2026-01-01T00:00:05.000Z") } },
    });
    expect(renewed.spec?.renewTime as unknown).toBe("2026-01-01T00:00:05.000000Z");
    expect(Number(renewed.metadata?.resourceVersion)).toBeGreaterThan(
      Number(read.metadata?.resourceVersion),
    );
    expect(fake.object("leases", ns, "cohort-controller")?.spec).toMatchObject({
      renewTime: "2026-01-01T00:00:05.000000Z",
    });
  });

  it("lets only one of two replicas that read the same version take the Lease; the other gets 409", async () => {
    await c.coordination.createNamespacedLease({ namespace: ns, body: lease("replica-a") });
    const other = await connect(fake, ns);
    const seenByA = await c.coordination.readNamespacedLease({
      namespace: ns,
      name: "cohort-controller",
    });
    const seenByB = await other.coordination.readNamespacedLease({
      namespace: ns,
      name: "cohort-controller",
    });

    await other.coordination.replaceNamespacedLease({
      namespace: ns,
      name: "cohort-controller",
      body: {
        ...seenByB,
        spec: { ...seenByB.spec, holderIdentity: "replica-b", leaseTransitions: 1 },
      },
    });
    const lost = await apiError(
      c.coordination.replaceNamespacedLease({
        namespace: ns,
        name: "cohort-controller",
        body: {
          ...seenByA,
          spec: { ...seenByA.spec, renewTime: new Date("2026-01-01T00:00:10.000Z") },
        },
      }),
    );
    expect(lost.code).toBe(409);
    expect(lost.status).toMatchObject({
      reason: "Conflict",
      message:
        'Operation cannot be fulfilled on leases.coordination.k8s.io "cohort-controller": the object has been modified; please apply your changes to the latest version and try again',
      details: { name: "cohort-controller", group: "coordination.k8s.io", kind: "leases" },
    });
    expect(fake.object("leases", ns, "cohort-controller")?.spec).toMatchObject({
      holderIdentity: "replica-b",
    });
  });

  it("answers a read of a Lease nobody created yet with 404 NotFound", async () => {
    const err = await apiError(
      c.coordination.readNamespacedLease({ namespace: ns, name: "cohort-controller" }),
    );
    expect(err.code).toBe(404);
    expect(err.status.message).toBe('leases.coordination.k8s.io "cohort-controller" not found');
  });
});
