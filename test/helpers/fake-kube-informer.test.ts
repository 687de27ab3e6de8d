import {
  ADD,
  DELETE,
  ERROR,
  type Informer,
  type KubernetesObject,
  makeInformer,
  type ObjectCache,
  PatchStrategy,
  setHeaderOptions,
  UPDATE,
} from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { connect, type FakeKubeClients } from "./fake-kube/client.js";
import { EventRecorder } from "./fake-kube/event-recorder.js";
import { FakeKubeApiServer } from "./fake-kube/fake-kube-apiserver.js";
import type { KubeObject } from "./fake-kube/resource-kinds.js";

const crd = { group: "cohort.dev", version: "v1alpha1", plural: "experiments" } as const;
const ns = "shop";
const path = `/apis/cohort.dev/v1alpha1/namespaces/${ns}/experiments`;
const merge = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

type Cache = Informer<KubernetesObject> & ObjectCache<KubernetesObject>;
type Seen = [verb: string, name: string | undefined, resourceVersion: string | undefined];

let fake: FakeKubeApiServer;
let c: FakeKubeClients;
let informer: Cache | undefined;

function experiment(name: string): KubeObject {
  return {
    apiVersion: "cohort.dev/v1alpha1",
    kind: "Experiment",
    metadata: { name },
    spec: { pattern: "ab" },
  };
}

function create(name: string): Promise<unknown> {
  return c.custom.createNamespacedCustomObject({ ...crd, namespace: ns, body: experiment(name) });
}

/** Starts an informer on Experiments, recording every add/update/delete/error it reports. */
async function startInformer(): Promise<{
  inf: Cache;
  seen: EventRecorder<Seen>;
}> {
  const seen = new EventRecorder<Seen>();
  const inf = makeInformer<KubernetesObject>(
    c.kc,
    path,
    () => c.custom.listNamespacedCustomObject({ ...crd, namespace: ns }) as never,
  );
  for (const verb of [ADD, UPDATE, DELETE] as const) {
    inf.on(verb, (o) => seen.push([verb, o.metadata?.name, o.metadata?.resourceVersion]));
  }
  inf.on(ERROR, (e) => seen.push([ERROR, String(e), undefined]));
  const watching = fake.waitForRequest((r) => r.verb === "watch" && r.status === 200);
  await inf.start();
  await watching;
  informer = inf;
  return { inf, seen };
}

function cacheOf(inf: Cache): [string | undefined, string | undefined][] {
  return inf
    .list(ns)
    .map(
      (o) =>
        [o.metadata?.name, o.metadata?.resourceVersion] as [string | undefined, string | undefined],
    )
    .sort();
}

function serverState(): [string | undefined, string | undefined][] {
  return fake
    .objects("experiments", ns)
    .map(
      (o) =>
        [o.metadata?.name, o.metadata?.resourceVersion] as [string | undefined, string | undefined],
    )
    .sort();
}

beforeEach(async () => {
  fake = await FakeKubeApiServer.start();
  c = await connect(fake, ns);
});
afterEach(async () => {
  await informer?.stop();
  informer = undefined;
  await fake.stop();
});

describe("fake kube API server: informers", () => {
  it("lets an informer see objects added, updated and deleted", async () => {
    const before = (await create("before")) as KubeObject;
    const { inf, seen } = await startInformer();
    await seen.until((e) => e.some(([v, n]) => v === ADD && n === "before"), "the listed object");

    await create("a");
    await seen.until((e) => e.some(([v, n]) => v === ADD && n === "a"), "add of a");
    await c.custom.patchNamespacedCustomObject(
      { ...crd, namespace: ns, name: "a", body: { spec: { pattern: "canary" } } },
      merge,
    );
    await seen.until((e) => e.some(([v, n]) => v === UPDATE && n === "a"), "update of a");
    await c.custom.deleteNamespacedCustomObject({ ...crd, namespace: ns, name: "before" });
    await seen.until((e) => e.some(([v, n]) => v === DELETE && n === "before"), "delete of before");

    expect(seen.events.map(([v, n]) => `${v} ${n}`)).toEqual([
      "add before",
      "add a",
      "update a",
      "delete before",
    ]);
    expect(cacheOf(inf)).toEqual(serverState());
    // One list, then one watch from that list's resourceVersion.
    const [list, watch] = fake.requests((r) => r.verb === "list" || r.verb === "watch");
    expect(list?.verb).toBe("list");
    expect(watch?.query.resourceVersion).toBe(before.metadata?.resourceVersion);
    expect(watch?.query.watch).toBe("true");
  });

  it("re-lists after its watch is closed and its resourceVersion compacted (410 Gone), ending consistent", async () => {
    await create("keep");
    await create("drop");
    const { inf, seen } = await startInformer();
    await seen.until((e) => e.filter(([v]) => v === ADD).length === 2, "the two listed objects");

    // The watch falls behind: changes happen that it never delivers, then history is compacted.
    fake.suspendWatches();
    await create("new");
    await c.custom.deleteNamespacedCustomObject({ ...crd, namespace: ns, name: "drop" });
    await c.custom.patchNamespacedCustomObject(
      { ...crd, namespace: ns, name: "keep", body: { spec: { pattern: "mab" } } },
      merge,
    );
    fake.compact();
    const mark = fake.lastRequestSeq;
    expect(fake.closeWatches()).toBe(1);
    fake.resumeWatches();

    const expiredWatch = await fake.waitForRequest((r) => r.verb === "watch", { sinceSeq: mark });
    expect(expiredWatch.watchError).toMatchObject({ kind: "Status", code: 410, reason: "Expired" });
    const relist = await fake.waitForRequest((r) => r.verb === "list", {
      sinceSeq: expiredWatch.seq,
    });
    const rewatch = await fake.waitForRequest((r) => r.verb === "watch", { sinceSeq: relist.seq });
    expect(rewatch.watchError).toBeUndefined();
    expect(rewatch.query.resourceVersion).toBe(fake.resourceVersion);

    await seen.until(
      (e) => e.some(([v, n]) => v === DELETE && n === "drop"),
      "delete of drop seen by the re-list",
    );
    await seen.until(
      (e) => e.some(([v, n]) => v === ADD && n === "new"),
      "add of new seen by the re-list",
    );
    await seen.until(
      (e) => e.some(([v, n]) => v === UPDATE && n === "keep"),
      "update of keep seen by the re-list",
    );
    expect(cacheOf(inf)).toEqual(serverState());

    // And it keeps watching from the re-list.
    await create("after");
    await seen.until((e) => e.some(([v, n]) => v === ADD && n === "after"), "add of after");
    expect(cacheOf(inf)).toEqual(serverState());
  });

  it("resumes from its resourceVersion without a re-list when a watch ends at its timeout", async () => {
    fake.setWatchTimeout(50);
    const { seen } = await startInformer();
    const mark = fake.lastRequestSeq;
    const rewatch = await fake.waitForRequest((r) => r.verb === "watch", { sinceSeq: mark });
    expect(rewatch.query.resourceVersion).toBe(fake.resourceVersion);
    fake.setWatchTimeout(undefined);
    await create("later");
    await seen.until((e) => e.some(([v, n]) => v === ADD && n === "later"), "add of later");
    expect(fake.requests((r) => r.verb === "list")).toHaveLength(1);
  });
});
