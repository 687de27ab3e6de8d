import { CoreV1Api, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apiError, connect, type FakeKubeClients } from "./fake-kube/client.js";
import { FakeKubeApiServer } from "./fake-kube/fake-kube-apiserver.js";
import { jsonPatch, mergePatch, PatchApplyError } from "./fake-kube/patch.js";
import type { KubeObject } from "./fake-kube/resource-kinds.js";

const wasm = { group: "extensions.istio.io", version: "v1alpha1", plural: "wasmplugins" } as const;
const ns = "shop";
const merge = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
const strategic = setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch);

let fake: FakeKubeApiServer;
let c: FakeKubeClients;

beforeEach(async () => {
  fake = await FakeKubeApiServer.start();
  c = await connect(fake, ns);
  fake.seed({
    apiVersion: "extensions.istio.io/v1alpha1",
    kind: "WasmPlugin",
    metadata: { name: "cohort", namespace: ns },
    spec: {
      url: "oci://cohort/filter:1",
      failStrategy: "FAIL_OPEN",
      pluginConfig: { weights: { v1: 90, v2: 10 } },
    },
  });
});
afterEach(async () => {
  await fake.stop();
});

describe("fake kube API server: patches", () => {
  it("applies a JSON merge patch sent with client-node's setHeaderOptions middleware", async () => {
    const out = (await c.custom.patchNamespacedCustomObject(
      {
        ...wasm,
        namespace: ns,
        name: "cohort",
        body: { spec: { pluginConfig: { weights: { v1: 50, v2: 50 } }, failStrategy: null } },
      },
      merge,
    )) as KubeObject;
    expect(out.spec).toEqual({
      url: "oci://cohort/filter:1",
      pluginConfig: { weights: { v1: 50, v2: 50 } },
    });
    expect(out.metadata?.generation).toBe(2);
    const patch = fake.requests((r) => r.verb === "patch");
    expect(patch.map((r) => [r.contentType, r.path])).toEqual([
      [
        "application/merge-patch+json",
        "/apis/extensions.istio.io/v1alpha1/namespaces/shop/wasmplugins/cohort",
      ],
    ]);
  });

  it("applies a JSON patch, the content type client-node 1.4 sends by default", async () => {
    const out = (await c.custom.patchNamespacedCustomObject({
      ...wasm,
      namespace: ns,
      name: "cohort",
      body: [
        { op: "test", path: "/spec/pluginConfig/weights/v2", value: 10 },
        { op: "replace", path: "/spec/pluginConfig/weights/v2", value: 20 },
        { op: "replace", path: "/spec/pluginConfig/weights/v1", value: 80 },
      ],
    })) as KubeObject;
    expect(out.spec).toMatchObject({ pluginConfig: { weights: { v1: 80, v2: 20 } } });
    expect(fake.requests((r) => r.verb === "patch")[0]?.contentType).toBe(
      "application/json-patch+json",
    );
  });

  it("rejects the whole JSON patch with 422 when a test operation fails", async () => {
    const err = await apiError(
      c.custom.patchNamespacedCustomObject({
        ...wasm,
        namespace: ns,
        name: "cohort",
        body: [
          { op: "replace", path: "/spec/pluginConfig/weights/v1", value: 0 },
          { op: "test", path: "/spec/pluginConfig/weights/v2", value: 99 },
        ],
      }),
    );
    expect(err.code).toBe(422);
    expect(err.status).toMatchObject({
      reason: "Invalid",
      details: {
        causes: [
          {
            reason: "UnexpectedServerResponse",
            message: "testing value /spec/pluginConfig/weights/v2 failed: test failed",
          },
        ],
      },
    });
    expect(fake.object("wasmplugins", ns, "cohort")?.spec).toMatchObject({
      pluginConfig: { weights: { v1: 90, v2: 10 } },
    });
  });

  it("uses a resourceVersion inside a merge patch as a precondition", async () => {
    const err = await apiError(
      c.custom.patchNamespacedCustomObject(
        {
          ...wasm,
          namespace: ns,
          name: "cohort",
          body: { metadata: { resourceVersion: "1" }, spec: { url: "x" } },
        },
        merge,
      ),
    );
    expect(err.code).toBe(409);
    expect(err.status.reason).toBe("Conflict");
  });

  it("refuses strategic merge patch on a custom resource with 415, as the real server does", async () => {
    const err = await apiError(
      c.custom.patchNamespacedCustomObject(
        { ...wasm, namespace: ns, name: "cohort", body: { spec: { url: "x" } } },
        strategic,
      ),
    );
    expect(err.code).toBe(415);
    expect(err.status).toMatchObject({
      reason: "UnsupportedMediaType",
      message:
        "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
    });
  });

  it("accepts strategic merge patch on a built-in kind", async () => {
    const core = c.kc.makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({
      namespace: ns,
      body: { metadata: { name: "cfg" }, data: { a: "1", b: "2" } },
    });
    const out = await core.patchNamespacedConfigMap(
      { namespace: ns, name: "cfg", body: { data: { b: null, c: "3" } } },
      strategic,
    );
    expect(out.data).toEqual({ a: "1", c: "3" });
  });

  it("stores nothing and keeps the resourceVersion when a patch changes nothing", async () => {
    const before = fake.object("wasmplugins", ns, "cohort");
    const out = (await c.custom.patchNamespacedCustomObject(
      {
        ...wasm,
        namespace: ns,
        name: "cohort",
        body: { spec: { pluginConfig: { weights: { v1: 90, v2: 10 } } } },
      },
      merge,
    )) as KubeObject;
    expect(out.metadata?.resourceVersion).toBe(before?.metadata?.resourceVersion);
    expect(fake.resourceVersion).toBe(before?.metadata?.resourceVersion);
  });

  it("patches the status subresource without touching spec or generation", async () => {
    const out = (await c.custom.patchNamespacedCustomObjectStatus(
      {
        ...wasm,
        namespace: ns,
        name: "cohort",
        body: { spec: { url: "ignored" }, status: { phase: "Applied" } },
      },
      merge,
    )) as KubeObject;
    expect(out.status).toEqual({ phase: "Applied" });
    expect(out.spec).toMatchObject({ url: "oci://cohort/filter:1" });
    expect(out.metadata?.generation).toBe(1);
  });
});

describe("patch functions", () => {
  // RFC 7386 appendix A examples.
  it.each([
    [{ a: "b" }, { a: "c" }, { a: "c" }],
    [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }],
    [{ a: "b" }, { a: null }, {}],
    [{ a: "b", b: "c" }, { a: null }, { b: "c" }],
    [{ a: ["b"] }, { a: "c" }, { a: "c" }],
    [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
    [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
    [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
    [
      ["a", "b"],
      ["c", "d"],
      ["c", "d"],
    ],
    [{ a: "b" }, ["c"], ["c"]],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: "b", c: null }, { a: "b" }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])("merge patch of %j with %j is %j (RFC 7386)", (target, patch, want) => {
    expect(mergePatch(target, patch)).toEqual(want);
  });

  // RFC 6902 appendix A examples.
  it("adds into arrays, moves, copies and removes as RFC 6902 specifies", () => {
    expect(
      jsonPatch({ foo: ["bar", "baz"] }, [{ op: "add", path: "/foo/1", value: "qux" }]),
    ).toEqual({ foo: ["bar", "qux", "baz"] });
    expect(jsonPatch({ foo: ["bar"] }, [{ op: "add", path: "/foo/-", value: ["abc"] }])).toEqual({
      foo: ["bar", ["abc"]],
    });
    expect(
      jsonPatch({ foo: { bar: "baz", waldo: "fred" }, qux: { corge: "grault" } }, [
        { op: "move", from: "/foo/waldo", path: "/qux/thud" },
      ]),
    ).toEqual({ foo: { bar: "baz" }, qux: { corge: "grault", thud: "fred" } });
    expect(
      jsonPatch({ foo: ["all", "grass", "cows", "eat"] }, [
        { op: "move", from: "/foo/1", path: "/foo/3" },
      ]),
    ).toEqual({
      foo: ["all", "cows", "eat", "grass"],
    });
    expect(jsonPatch({ "/": 9, "~1": 10 }, [{ op: "test", path: "/~01", value: 10 }])).toEqual({
      "/": 9,
      "~1": 10,
    });
    expect(jsonPatch({ a: { b: 1 } }, [{ op: "copy", from: "/a", path: "/c" }])).toEqual({
      a: { b: 1 },
      c: { b: 1 },
    });
    expect(jsonPatch({ baz: "qux", foo: "bar" }, [{ op: "remove", path: "/baz" }])).toEqual({
      foo: "bar",
    });
  });

  it("fails on a missing target, a bad index and a failed test", () => {
    expect(() =>
      jsonPatch({ foo: "bar" }, [{ op: "add", path: "/baz/bat", value: "qux" }]),
    ).toThrow(PatchApplyError);
    expect(() => jsonPatch({ foo: ["a"] }, [{ op: "add", path: "/foo/5", value: 1 }])).toThrow(
      PatchApplyError,
    );
    expect(() => jsonPatch({ foo: "bar" }, [{ op: "replace", path: "/nope", value: 1 }])).toThrow(
      PatchApplyError,
    );
    expect(() => jsonPatch({ "/": 9 }, [{ op: "test", path: "/~01", value: "10" }])).toThrow(
      "testing value /~01 failed: test failed",
    );
  });
});
