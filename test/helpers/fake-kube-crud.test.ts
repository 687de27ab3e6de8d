import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apiError, connect, type FakeKubeClients } from "./fake-kube/client.js";
import { FakeKubeApiServer } from "./fake-kube/fake-kube-apiserver.js";
import type { KubeObject } from "./fake-kube/resource-kinds.js";

const crd = { group: "cohort.dev", version: "v1alpha1", plural: "experiments" } as const;
const ns = "shop";

function experiment(name: string, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: "cohort.dev/v1alpha1",
    kind: "Experiment",
    metadata: { name, labels },
    spec: { pattern: "ab", versions: [{ name: "v1" }, { name: "v2" }] },
    status: { phase: "ShouldBeDropped" },
  };
}

let fake: FakeKubeApiServer;
let c: FakeKubeClients;

beforeEach(async () => {
  fake = await FakeKubeApiServer.start({ now: () => new Date("2026-01-02T03:04:05.678Z") });
  c = await connect(fake, ns);
});
afterEach(async () => {
  await fake.stop();
});

describe("fake kube API server: CRUD through CustomObjectsApi", () => {
  it("creates an Experiment with server-set metadata and without the status a client sent", async () => {
    const before = Number(fake.resourceVersion);
    const created = (await c.custom.createNamespacedCustomObject({
      ...crd,
      namespace: ns,
      body: experiment("checkout"),
    })) as KubeObject;
    expect(created.metadata).toMatchObject({
      name: "checkout",
      namespace: ns,
      generation: 1,
      creationTimestamp: "2026-01-02T03:04:05Z",
    });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(created.metadata?.resourceVersion)).toBeGreaterThan(before);
    expect(created.status).toBeUndefined();
    const read = await c.custom.getNamespacedCustomObject({
      ...crd,
      namespace: ns,
      name: "checkout",
    });
    expect(read).toEqual(created);
    const post = fake.requests((r) => r.method === "POST")[0];
    expect(post?.path).toBe("/apis/cohort.dev/v1alpha1/namespaces/shop/experiments");
    expect(post?.contentType).toBe("application/json");
  });

  it("lists by label and by name, reporting the list's resourceVersion", async () => {
    for (const [name, app] of [
      ["a", "shop"],
      ["b", "shop"],
      ["c", "search"],
    ] as const) {
      await c.custom.createNamespacedCustomObject({
        ...crd,
        namespace: ns,
        body: experiment(name, { app }),
      });
    }
    const shop = (await c.custom.listNamespacedCustomObject({
      ...crd,
      namespace: ns,
      labelSelector: "app=shop",
    })) as {
      kind: string;
      metadata: { resourceVersion: string };
      items: KubeObject[];
    };
    expect(shop.kind).toBe("ExperimentList");
    expect(shop.items.map((i) => i.metadata?.name)).toEqual(["a", "b"]);
    expect(shop.metadata.resourceVersion).toBe(fake.resourceVersion);
    const notShop = (await c.custom.listNamespacedCustomObject({
      ...crd,
      namespace: ns,
      labelSelector: "app!=shop",
    })) as { items: KubeObject[] };
    expect(notShop.items.map((i) => i.metadata?.name)).toEqual(["c"]);
    const byName = (await c.custom.listNamespacedCustomObject({
      ...crd,
      namespace: ns,
      fieldSelector: "metadata.name=b",
    })) as { items: KubeObject[] };
    expect(byName.items.map((i) => i.metadata?.name)).toEqual(["b"]);
    const err = await apiError(
      c.custom.listNamespacedCustomObject({
        ...crd,
        namespace: ns,
        fieldSelector: "spec.pattern=ab",
      }),
    );
    expect(err.code).toBe(400);
    expect(err.status.message).toBe("field label not supported: spec.pattern");
  });

  it("bumps generation when the spec changes but not when only labels change", async () => {
    const created = (await c.custom.createNamespacedCustomObject({
      ...crd,
      namespace: ns,
      body: experiment("g"),
    })) as KubeObject;
    const relabelled = (await c.custom.replaceNamespacedCustomObject({
      ...crd,
      namespace: ns,
      name: "g",
      body: { ...created, metadata: { ...created.metadata, labels: { team: "growth" } } },
    })) as KubeObject;
    expect(relabelled.metadata?.generation).toBe(1);
    expect(Number(relabelled.metadata?.resourceVersion)).toBeGreaterThan(
      Number(created.metadata?.resourceVersion),
    );
    const respecced = (await c.custom.replaceNamespacedCustomObject({
      ...crd,
      namespace: ns,
      name: "g",
      body: { ...relabelled, spec: { pattern: "canary" } },
    })) as KubeObject;
    expect(respecced.metadata?.generation).toBe(2);
    expect(respecced.spec).toEqual({ pattern: "canary" });
  });

  it("keeps status and spec apart: status writes ignore spec and object writes ignore status", async () => {
    const created = (await c.custom.createNamespacedCustomObject({
      ...crd,
      namespace: ns,
      body: experiment("s"),
    })) as KubeObject;
    const withStatus = (await c.custom.replaceNamespacedCustomObjectStatus({
      ...crd,
      namespace: ns,
      name: "s",
      body: {
        ...created,
        spec: { pattern: "sneaky" },
        status: { phase: "Running", observedGeneration: 1 },
      },
    })) as KubeObject;
    expect(withStatus.status).toEqual({ phase: "Running", observedGeneration: 1 });
    expect(withStatus.spec).toEqual(created.spec);
    expect(withStatus.metadata?.generation).toBe(1);
    expect(Number(withStatus.metadata?.resourceVersion)).toBeGreaterThan(
      Number(created.metadata?.resourceVersion),
    );

    const objectWrite = (await c.custom.replaceNamespacedCustomObject({
      ...crd,
      namespace: ns,
      name: "s",
      body: { ...withStatus, status: { phase: "Forged" } },
    })) as KubeObject;
    expect(objectWrite.status).toEqual({ phase: "Running", observedGeneration: 1 });
    // Nothing but the ignored status changed, so nothing was written.
    expect(objectWrite.metadata?.resourceVersion).toBe(withStatus.metadata?.resourceVersion);
    const read = (await c.custom.getNamespacedCustomObjectStatus({
      ...crd,
      namespace: ns,
      name: "s",
    })) as KubeObject;
    expect(read.status).toEqual({ phase: "Running", observedGeneration: 1 });
  });

  it("answers a stale resourceVersion with 409 Conflict and leaves the object alone", async () => {
    const created = (await c.custom.createNamespacedCustomObject({
      ...crd,
      namespace: ns,
      body: experiment("x"),
    })) as KubeObject;
    await c.custom.replaceNamespacedCustomObject({
      ...crd,
      namespace: ns,
      name: "x",
      body: { ...created, spec: { pattern: "first" } },
    });
    const err = await apiError(
      c.custom.replaceNamespacedCustomObject({
        ...crd,
        namespace: ns,
        name: "x",
        body: { ...created, spec: { pattern: "second" } },
      }),
    );
    expect(err.code).toBe(409);
    expect(err.status).toMatchObject({
      kind: "Status",
      apiVersion: "v1",
      status: "Failure",
      reason: "Conflict",
      code: 409,
      message:
        'Operation cannot be fulfilled on experiments.cohort.dev "x": the object has been modified; please apply your changes to the latest version and try again',
      details: { name: "x", group: "cohort.dev", kind: "experiments" },
    });
    expect(fake.object("experiments", ns, "x")?.spec).toEqual({ pattern: "first" });
  });

  it("refuses an update of a custom resource that names no resourceVersion", async () => {
    await c.custom.createNamespacedCustomObject({ ...crd, namespace: ns, body: experiment("u") });
    const err = await apiError(
      c.custom.replaceNamespacedCustomObject({
        ...crd,
        namespace: ns,
        name: "u",
        body: { ...experiment("u"), status: undefined },
      }),
    );
    expect(err.code).toBe(422);
    expect(err.status.reason).toBe("Invalid");
    expect(err.status.message).toContain(
      "metadata.resourceVersion: Invalid value: 0x0: must be specified for an update",
    );
  });

  it("rejects a custom resource body without kind, as the server's unstructured decoder does", async () => {
    const { kind: _kind, ...body } = experiment("nokind");
    const err = await apiError(
      c.custom.createNamespacedCustomObject({ ...crd, namespace: ns, body }),
    );
    expect(err.code).toBe(400);
    expect(err.status.message).toMatch(
      /^Object 'Kind' is missing in '\{"apiVersion":"cohort.dev\/v1alpha1"/,
    );
  });

  it("answers a duplicate create with 409 AlreadyExists and a missing object with 404 NotFound", async () => {
    await c.custom.createNamespacedCustomObject({ ...crd, namespace: ns, body: experiment("dup") });
    const dup = await apiError(
      c.custom.createNamespacedCustomObject({ ...crd, namespace: ns, body: experiment("dup") }),
    );
    expect(dup.code).toBe(409);
    expect(dup.status).toMatchObject({
      reason: "AlreadyExists",
      message: 'experiments.cohort.dev "dup" already exists',
      details: { name: "dup", group: "cohort.dev", kind: "experiments" },
    });
    const missing = await apiError(
      c.custom.getNamespacedCustomObject({ ...crd, namespace: ns, name: "nope" }),
    );
    expect(missing.code).toBe(404);
    expect(missing.status).toMatchObject({
      kind: "Status",
      status: "Failure",
      reason: "NotFound",
      code: 404,
      message: 'experiments.cohort.dev "nope" not found',
      details: { name: "nope", group: "cohort.dev", kind: "experiments" },
    });
  });

  it("deletes with a Success Status, after which reads are 404", async () => {
    const created = (await c.custom.createNamespacedCustomObject({
      ...crd,
      namespace: ns,
      body: experiment("d"),
    })) as KubeObject;
    const res = await c.custom.deleteNamespacedCustomObject({ ...crd, namespace: ns, name: "d" });
    expect(res).toMatchObject({
      kind: "Status",
      status: "Success",
      details: { name: "d", uid: created.metadata?.uid },
    });
    expect(
      (await apiError(c.custom.getNamespacedCustomObject({ ...crd, namespace: ns, name: "d" })))
        .code,
    ).toBe(404);
    expect(
      (await apiError(c.custom.deleteNamespacedCustomObject({ ...crd, namespace: ns, name: "d" })))
        .code,
    ).toBe(404);
  });

  it("holds an object with finalizers as terminating until the last finalizer is removed", async () => {
    const body = experiment("f");
    body.metadata = { ...body.metadata, finalizers: ["cohort.dev/cleanup"] };
    await c.custom.createNamespacedCustomObject({ ...crd, namespace: ns, body });
    await c.custom.deleteNamespacedCustomObject({ ...crd, namespace: ns, name: "f" });
    const terminating = fake.object("experiments", ns, "f");
    expect(terminating?.metadata?.deletionTimestamp).toBe("2026-01-02T03:04:05Z");
    await c.custom.replaceNamespacedCustomObject({
      ...crd,
      namespace: ns,
      name: "f",
      body: { ...terminating, metadata: { ...terminating?.metadata, finalizers: [] } },
    });
    expect(fake.object("experiments", ns, "f")).toBeUndefined();
  });

  it("seeds an object with the status a previous controller run left, as a client then reads it", async () => {
    const seeded = fake.seed({
      ...experiment("resumed"),
      metadata: { name: "resumed", namespace: ns },
      status: { phase: "Running", iteration: 7 },
    });
    expect(seeded.metadata?.generation).toBe(1);
    const read = (await c.custom.getNamespacedCustomObject({
      ...crd,
      namespace: ns,
      name: "resumed",
    })) as KubeObject;
    expect(read.status).toEqual({ phase: "Running", iteration: 7 });
    expect(fake.requests()).toHaveLength(1);
  });

  it("rejects requests without the kubeconfig's bearer token as 401 Unauthorized", async () => {
    const res = await fetch(`${fake.url}/apis/cohort.dev/v1alpha1/namespaces/shop/experiments`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ kind: "Status", reason: "Unauthorized", code: 401 });
  });
});
