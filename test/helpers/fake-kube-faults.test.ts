import {
  ApiException,
  ERROR,
  type KubernetesObject,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  Watch,
} from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apiError, connect, type FakeKubeClients } from "./fake-kube/client.js";
import { EventRecorder } from "./fake-kube/event-recorder.js";
import { FakeKubeApiServer } from "./fake-kube/fake-kube-apiserver.js";

const wasm = { group: "extensions.istio.io", version: "v1alpha1", plural: "wasmplugins" } as const;
const ns = "shop";
const path = `/apis/extensions.istio.io/v1alpha1/namespaces/${ns}/wasmplugins`;
const merge = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
const weights = (v2: number) => ({ spec: { pluginConfig: { weights: { v1: 100 - v2, v2 } } } });

let fake: FakeKubeApiServer;
let c: FakeKubeClients;

beforeEach(async () => {
  fake = await FakeKubeApiServer.start();
  c = await connect(fake, ns);
  fake.seed({
    apiVersion: "extensions.istio.io/v1alpha1",
    kind: "WasmPlugin",
    metadata: { name: "cohort", namespace: ns },
    ...weights(10),
  });
});
afterEach(async () => {
  await fake.stop();
});

function patch(v2: number): Promise<unknown> {
  return c.custom.patchNamespacedCustomObject(
    { ...wasm, namespace: ns, name: "cohort", body: weights(v2) },
    merge,
  );
}

describe("fake kube API server: injected faults", () => {
  it("fails only the next matching request with a Conflict naming the object, then serves again", async () => {
    const rule = fake.failNext({ verb: "patch", resource: "wasmplugins" }, "conflict");
    const first = await apiError(patch(20));
    expect(first.code).toBe(409);
    expect(first.status).toMatchObject({
      kind: "Status",
      status: "Failure",
      reason: "Conflict",
      message: expect.stringContaining(
        'Operation cannot be fulfilled on wasmplugins.extensions.istio.io "cohort"',
      ),
    });
    expect(fake.object("wasmplugins", ns, "cohort")?.spec).toMatchObject(weights(10).spec);
    await patch(20);
    expect(fake.object("wasmplugins", ns, "cohort")?.spec).toMatchObject(weights(20).spec);
    expect(rule).toMatchObject({ hits: 1, remaining: 0 });
    expect(fake.requests((r) => r.verb === "patch").map((r) => [r.status, r.injected])).toEqual([
      [409, "conflict"],
      [200, undefined],
    ]);
  });

  it("fails N requests with 500 InternalError and leaves other verbs alone", async () => {
    fake.failNext({ verb: "patch" }, "internal-error", 2);
    for (let i = 0; i < 2; i++) {
      const err = await apiError(patch(30));
      expect(err.code).toBe(500);
      expect(err.status.reason).toBe("InternalError");
    }
    await c.custom.getNamespacedCustomObject({ ...wasm, namespace: ns, name: "cohort" });
    await patch(30);
    expect(fake.object("wasmplugins", ns, "cohort")?.spec).toMatchObject(weights(30).spec);
  });

  it("sends 429 with a Retry-After header the client can read", async () => {
    fake.failNext({ resource: "wasmplugins", verb: "get" }, "too-many-requests");
    const call = c.custom.getNamespacedCustomObject({ ...wasm, namespace: ns, name: "cohort" });
    const err = await call.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiException);
    expect((err as ApiException<string>).code).toBe(429);
    expect((err as ApiException<string>).headers["retry-after"]).toBe("1");
  });

  it("drops the connection on a reset, so the client sees a network error and nothing is written", async () => {
    fake.failNext({ verb: "patch" }, "reset");
    await expect(patch(40)).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(fake.object("wasmplugins", ns, "cohort")?.spec).toMatchObject(weights(10).spec);
  });

  it("answers a watch with a 410 ERROR event inside a 200 stream, as a real expired watch does", async () => {
    fake.failNext({ verb: "watch" }, "gone");
    const events = new EventRecorder<[string, unknown]>();
    let ended: (err: unknown) => void = () => {};
    const done = new Promise<unknown>((resolve) => {
      ended = resolve;
    });
    await new Watch(c.kc).watch(
      path,
      { resourceVersion: fake.resourceVersion },
      (type, obj) => events.push([type, obj]),
      (err) => ended(err),
    );
    expect(await done).toBeNull();
    expect(events.events).toEqual([
      [
        "ERROR",
        expect.objectContaining({
          kind: "Status",
          apiVersion: "v1",
          status: "Failure",
          reason: "Expired",
          code: 410,
        }),
      ],
    ]);
  });

  it("reports a reset watch connection to an informer's error handlers (client-node does not restart it)", async () => {
    const errors = new EventRecorder<unknown>();
    const inf = makeInformer<KubernetesObject>(
      c.kc,
      path,
      () => c.custom.listNamespacedCustomObject({ ...wasm, namespace: ns }) as never,
    );
    inf.on(ERROR, errors.push);
    const watching = fake.waitForRequest((r) => r.verb === "watch");
    await inf.start();
    await watching;
    expect(fake.resetWatches("wasmplugins")).toBe(1);
    await errors.until((e) => e.length === 1, "the informer's error callback");
    await inf.stop();
    expect(fake.requests((r) => r.verb === "list")).toHaveLength(1);
  });

  it("fails a list with 410 Expired when asked to", async () => {
    fake.failNext({ verb: "list", resource: "wasmplugins" }, "gone");
    const err = await apiError(c.custom.listNamespacedCustomObject({ ...wasm, namespace: ns }));
    expect(err.code).toBe(410);
    expect(err.status).toMatchObject({
      reason: "Expired",
      message: expect.stringMatching(/^too old resource version: \d+ \(\d+\)$/),
    });
  });
});
