import { CoreV1Api, EventsV1Api, KubernetesObjectApi, Watch } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apiError, connect, type FakeKubeClients } from "./fake-kube/client.js";
import { EventRecorder } from "./fake-kube/event-recorder.js";
import { FakeKubeApiServer } from "./fake-kube/fake-kube-apiserver.js";
import type { KubeObject } from "./fake-kube/resource-kinds.js";

const crd = { group: "cohort.dev", version: "v1alpha1", plural: "experiments" } as const;
const ns = "shop";
const path = `/apis/cohort.dev/v1alpha1/namespaces/${ns}/experiments`;

type ListBody = {
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: KubeObject[];
};

let fake: FakeKubeApiServer;
let c: FakeKubeClients;
let stopWatch: (() => void) | undefined;

beforeEach(async () => {
  fake = await FakeKubeApiServer.start();
  c = await connect(fake, ns);
});
afterEach(async () => {
  stopWatch?.();
  stopWatch = undefined;
  await fake.stop();
});

function seed(name: string, labels: Record<string, string> = {}): KubeObject {
  return fake.seed({
    apiVersion: "cohort.dev/v1alpha1",
    kind: "Experiment",
    metadata: { name, namespace: ns, labels },
    spec: {},
  });
}

function names(list: unknown): (string | undefined)[] {
  return (list as ListBody).items.map((i) => i.metadata?.name);
}

/** Opens a raw client-node Watch and records `type name` for every event. */
async function watch(query: Record<string, string>): Promise<EventRecorder<[string, KubeObject]>> {
  const events = new EventRecorder<[string, KubeObject]>();
  const opened = fake.waitForRequest((r) => r.verb === "watch", { sinceSeq: fake.lastRequestSeq });
  const ctl = await new Watch(c.kc).watch(
    path,
    query,
    (type, obj) => events.push([type, obj]),
    () => {},
  );
  stopWatch = () => ctl.abort();
  await opened;
  return events;
}

const summary = (events: [string, KubeObject][]) =>
  events.map(([t, o]) => `${t} ${o.metadata?.name ?? o.metadata?.resourceVersion}`);

describe("fake kube API server: list semantics", () => {
  it("serves an exact list at an older resourceVersion, and 410 once that version is compacted", async () => {
    seed("a");
    const at = fake.resourceVersion;
    seed("b");
    const exact = await c.custom.listNamespacedCustomObject({
      ...crd,
      namespace: ns,
      resourceVersion: at,
      resourceVersionMatch: "Exact",
    });
    expect(names(exact)).toEqual(["a"]);
    expect((exact as ListBody).metadata.resourceVersion).toBe(at);
    const notOlder = await c.custom.listNamespacedCustomObject({
      ...crd,
      namespace: ns,
      resourceVersion: at,
    });
    expect(names(notOlder)).toEqual(["a", "b"]);
    fake.compact();
    const err = await apiError(
      c.custom.listNamespacedCustomObject({
        ...crd,
        namespace: ns,
        resourceVersion: at,
        resourceVersionMatch: "Exact",
      }),
    );
    expect(err.code).toBe(410);
    expect(err.status).toMatchObject({
      reason: "Expired",
      message: `too old resource version: ${at} (${fake.resourceVersion})`,
    });
  });

  it("answers a list at a resourceVersion from the future with 504 Too large resource version", async () => {
    const err = await apiError(
      c.custom.listNamespacedCustomObject({ ...crd, namespace: ns, resourceVersion: "999999" }),
    );
    expect(err.code).toBe(504);
    expect(err.status.details?.causes?.[0]?.reason).toBe("ResourceVersionTooLarge");
  });

  it("pages with limit and continue over one consistent snapshot", async () => {
    for (const n of ["a", "b", "c", "d", "e"]) seed(n);
    const first = (await c.custom.listNamespacedCustomObject({
      ...crd,
      namespace: ns,
      limit: 2,
    })) as ListBody;
    expect(names(first)).toEqual(["a", "b"]);
    expect(first.metadata.remainingItemCount).toBe(3);
    seed("f"); // not in the snapshot the pages are served from
    const second = (await c.custom.listNamespacedCustomObject({
      ...crd,
      namespace: ns,
      limit: 2,
      _continue: first.metadata.continue,
    })) as ListBody;
    expect(names(second)).toEqual(["c", "d"]);
    const third = (await c.custom.listNamespacedCustomObject({
      ...crd,
      namespace: ns,
      limit: 2,
      _continue: second.metadata.continue,
    })) as ListBody;
    expect(names(third)).toEqual(["e"]);
    expect(third.metadata.continue).toBeUndefined();
    fake.compact();
    const err = await apiError(
      c.custom.listNamespacedCustomObject({
        ...crd,
        namespace: ns,
        limit: 2,
        _continue: second.metadata.continue,
      }),
    );
    expect(err.code).toBe(410);
    expect(err.status.reason).toBe("Expired");
  });

  it("lists across namespaces and leaves apiVersion/kind off built-in list items", async () => {
    seed("here");
    fake.seed({
      apiVersion: "cohort.dev/v1alpha1",
      kind: "Experiment",
      metadata: { name: "there", namespace: "other" },
      spec: {},
    });
    expect(names(await c.custom.listClusterCustomObject({ ...crd }))).toEqual(["there", "here"]);
    const core = c.kc.makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({
      namespace: ns,
      body: { metadata: { name: "cfg" }, data: { k: "v" } },
    });
    const raw = await fetch(`${fake.url}/api/v1/namespaces/${ns}/configmaps`, {
      headers: { Authorization: "Bearer fake-kube-token" },
    });
    const body = (await raw.json()) as { kind: string; items: Record<string, unknown>[] };
    expect(body.kind).toBe("ConfigMapList");
    expect(body.items[0]).not.toHaveProperty("kind");
    expect(body.items[0]).toMatchObject({ metadata: { name: "cfg" }, data: { k: "v" } });
  });
});

describe("fake kube API server: watch semantics", () => {
  it("starts a watch without a resourceVersion with the current objects as ADDED", async () => {
    seed("a");
    seed("b");
    const events = await watch({});
    await events.until((e) => e.length === 2, "two ADDED events");
    expect(summary(events.events)).toEqual(["ADDED a", "ADDED b"]);
  });

  it("replays the changes after a resourceVersion, then streams new ones", async () => {
    const a = seed("a");
    seed("b");
    const events = await watch({ resourceVersion: a.metadata?.resourceVersion ?? "" });
    await c.custom.deleteNamespacedCustomObject({ ...crd, namespace: ns, name: "a" });
    await events.until((e) => e.length === 2, "b replayed and a deleted");
    expect(summary(events.events)).toEqual(["ADDED b", "DELETED a"]);
    expect(events.events[1]?.[1].metadata?.resourceVersion).toBe(fake.resourceVersion);
  });

  it("turns label changes into ADDED and DELETED for a label-selected watch", async () => {
    seed("x", { track: "yes" });
    const events = await watch({
      labelSelector: "track=yes",
      resourceVersion: fake.resourceVersion,
    });
    const relabel = (track: string) =>
      c.custom.patchNamespacedCustomObject({
        ...crd,
        namespace: ns,
        name: "x",
        body: [{ op: "replace", path: "/metadata/labels/track", value: track }],
      });
    await relabel("no");
    await relabel("yes");
    await events.until((e) => e.length === 2, "leave and re-enter");
    expect(summary(events.events)).toEqual(["DELETED x", "ADDED x"]);
    expect(fake.object("experiments", ns, "x")?.metadata?.labels).toEqual({ track: "yes" });
  });

  it("sends an ERROR event with a 410 Expired Status for a compacted resourceVersion", async () => {
    const old = seed("a").metadata?.resourceVersion ?? "";
    seed("b");
    fake.compact();
    const events = await watch({ resourceVersion: old });
    await events.until((e) => e.length === 1, "the ERROR event");
    expect(events.events[0]).toEqual([
      "ERROR",
      {
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: `too old resource version: ${old} (${fake.resourceVersion})`,
        reason: "Expired",
        code: 410,
      },
    ]);
  });

  it("expires watches that fall further behind than a bounded history keeps", async () => {
    await fake.stop();
    fake = await FakeKubeApiServer.start({ maxHistory: 2 });
    c = await connect(fake, ns);
    const first = seed("a").metadata?.resourceVersion ?? "";
    const second = seed("b").metadata?.resourceVersion ?? "";
    seed("c");
    seed("d");
    const recent = await watch({ resourceVersion: second });
    await recent.until((e) => e.length === 2, "c and d replayed");
    expect(summary(recent.events)).toEqual(["ADDED c", "ADDED d"]);
    const stale = await watch({ resourceVersion: first });
    await stale.until((e) => e.length === 1, "the ERROR event");
    expect(stale.events[0]?.[1]).toMatchObject({ code: 410, reason: "Expired" });
  });

  it("sends BOOKMARKs carrying the current resourceVersion only to watches that allow them", async () => {
    seed("a");
    const withBookmarks = await watch({
      resourceVersion: fake.resourceVersion,
      allowWatchBookmarks: "true",
    });
    const stopFirst = stopWatch;
    const without = await watch({ resourceVersion: fake.resourceVersion });
    const stopSecond = stopWatch;
    stopWatch = () => {
      stopFirst?.();
      stopSecond?.();
    };
    fake.sendBookmarks();
    seed("b");
    await withBookmarks.until((e) => e.length === 2, "a bookmark then b");
    await without.until((e) => e.length === 1, "b");
    expect(
      withBookmarks.events.map(([t, o]) => [
        t,
        o.kind,
        t === "BOOKMARK" ? o.metadata?.resourceVersion : o.metadata?.name,
      ]),
    ).toEqual([
      ["BOOKMARK", "Experiment", String(Number(fake.resourceVersion) - 1)],
      ["ADDED", "Experiment", "b"],
    ]);
    expect(summary(without.events)).toEqual(["ADDED b"]);
  });
});

describe("fake kube API server: discovery and other kinds", () => {
  it("serves discovery so KubernetesObjectApi can read an Experiment by kind", async () => {
    seed("by-kind");
    const objects = KubernetesObjectApi.makeApiClient(c.kc);
    const read = await objects.read({
      apiVersion: "cohort.dev/v1alpha1",
      kind: "Experiment",
      metadata: { name: "by-kind", namespace: ns },
    });
    expect(read.metadata?.name).toBe("by-kind");
    expect(fake.requests((r) => r.verb === "discovery").map((r) => r.path)).toEqual([
      "/apis/cohort.dev/v1alpha1",
    ]);
  });

  it("records events.k8s.io Events and selects them by reason", async () => {
    const events = c.kc.makeApiClient(EventsV1Api);
    for (const [name, reason] of [
      ["e1", "Promoted"],
      ["e2", "WeightsChanged"],
    ] as const) {
      await events.createNamespacedEvent({
        namespace: ns,
        body: {
          metadata: { name },
          reason,
          action: "Reconcile",
          reportingController: "cohort.dev/controller",
          reportingInstance: "r1",
          eventTime: new Date("2026-01-01T00:00:00Z") as never,
          type: "Normal",
          regarding: { kind: "Experiment", name: "x" },
        },
      });
    }
    const promoted = await events.listNamespacedEvent({
      namespace: ns,
      fieldSelector: "reason=Promoted",
    });
    expect(promoted.items.map((e) => e.metadata?.name)).toEqual(["e1"]);
  });

  it("serves a kind registered with one call", async () => {
    fake.register({
      group: "apps",
      version: "v1",
      kind: "Deployment",
      plural: "deployments",
      namespaced: true,
      statusSubresource: true,
    });
    const objects = KubernetesObjectApi.makeApiClient(c.kc);
    const created = await objects.create({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "shop", namespace: ns },
    });
    expect((created as KubeObject).metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(fake.objects("deployments", ns).map((o) => o.metadata?.name)).toEqual(["shop"]);
  });
});
