import { describe, expect, it } from "vitest";
import { spec } from "../core/scenario.js";
import {
  canarySpec,
  EXP,
  type Harness,
  HEALTHY,
  NS,
  ports,
  RecordingPromoter,
  SyntheticMetrics,
  useHarness,
} from "./harness.js";

let h: Harness;

useHarness((x) => {
  h = x;
});

const splits = (plugin = "cohort") =>
  h.pluginConfig(plugin).experiments.map((e) => ({
    name: e.name,
    weights: e.versions.map((v) => `${v.name}=${v.weight}`).join(","),
  }));

describe("cohort controller: the WasmPlugin's pluginConfig", () => {
  it("patches the WasmPlugin only when the weights change, and not at all after a restart", async () => {
    const p = ports();
    const c = await h.controller("replica-a", p);
    await h.create(c, "checkout", canarySpec());
    // a look without data changes nothing
    p.provider.noData = true;
    await h.advance(30_000);
    p.provider.noData = false;
    await h.advance(60_000);
    await h.advance(300_000, 5_000);
    // 90/10 at the start, 70/30 after the first look with data, 0/100 at completion
    expect(h.wasmPluginPatches()).toBe(3);
    const bodies = h.fake
      .requests((r) => r.verb === "patch" && r.resource === "wasmplugins")
      .map((r) => r.contentType);
    expect(bodies).toEqual(Array(3).fill("application/merge-patch+json"));

    await c.stop();
    await h.controller("replica-a-restarted", ports());
    await h.advance(60_000);
    expect(h.wasmPluginPatches()).toBe(3);
    expect(splits()).toEqual([{ name: "checkout", weights: "v1=0,v2=100" }]);
  });

  it("keeps everything of the WasmPlugin but its pluginConfig, and writes the filter's full config", async () => {
    const c = await h.controller("replica-a", ports());
    await h.create(c, "checkout", {
      ...canarySpec(),
      traffic: {
        stickyKey: ["header:x-user-id"],
        segment: { all: [{ header: "x-country", exact: "wakanda" }] },
      },
    });
    const plugin = h.fake.object("wasmplugins", NS, "cohort") as { spec: Record<string, unknown> };
    expect(plugin.spec.url).toBe("oci://ghcr.io/cohort/filter:0.1.0");
    expect(plugin.spec.failStrategy).toBe("FAIL_OPEN");
    expect(plugin.spec.pluginConfig).toEqual({
      routingHeader: "x-cohort-version",
      mirrorHeader: "x-cohort-mirror",
      experiments: [
        {
          name: "checkout",
          hosts: [
            "checkout",
            "checkout.shop",
            "checkout.shop.svc",
            "checkout.shop.svc.cluster.local",
          ],
          segment: { all: [{ header: "x-country", exact: "wakanda" }] },
          stickyKey: ["header:x-user-id"],
          baseline: "v1",
          versions: [
            { name: "v1", weight: 90 },
            { name: "v2", weight: 10 },
          ],
          salt: "checkout",
        },
      ],
    });
  });

  it("puts every experiment of the namespace in its plugin, by name, and one named by annotation in that plugin", async () => {
    h.fake.seed({
      apiVersion: "extensions.istio.io/v1alpha1",
      kind: "WasmPlugin",
      metadata: { name: "cohort-payments", namespace: NS },
      spec: { url: "oci://ghcr.io/cohort/filter:0.1.0", pluginConfig: { experiments: [] } },
    });
    const c = await h.controller("replica-a", ports());
    for (const [name, target, annotations] of [
      ["search", "shop/search", undefined],
      ["checkout", "shop/checkout", undefined],
      ["payments", "shop/payments", { "cohort.dev/wasm-plugin": "cohort-payments" }],
    ] as const) {
      await h.create(c, name, canarySpec({ target }), annotations);
    }
    expect(splits()).toEqual([
      { name: "checkout", weights: "v1=90,v2=10" },
      { name: "search", weights: "v1=90,v2=10" },
    ]);
    expect(splits("cohort-payments")).toEqual([{ name: "payments", weights: "v1=90,v2=10" }]);

    const removed = h.fake.waitForRequest(
      (r) => r.verb === "patch" && r.resource === "wasmplugins",
      { sinceSeq: h.fake.lastRequestSeq },
    );
    await h.custom.deleteNamespacedCustomObject({ ...EXP, namespace: NS, name: "search" });
    await removed;
    await h.advance(1_000);
    expect(splits()).toEqual([{ name: "checkout", weights: "v1=90,v2=10" }]);
  });

  it("keeps an assignment table for three versions that moves only the users whose share moved", async () => {
    const provider = new SyntheticMetrics({
      v1: { ...HEALTHY, conversion: 0.05 },
      v2: { ...HEALTHY, conversion: 0.08 },
      v3: { ...HEALTHY, conversion: 0.05 },
    });
    const c = await h.controller("replica-a", { provider, promoter: new RecordingPromoter() });
    await h.create(c, "checkout", spec("ABN", {}, ["v2", "v3"]));
    await h.advance(60_000);

    type Table = { version: string; ranges: [number, number][] }[];
    const tables = h.fake
      .requests((r) => r.verb === "patch" && r.resource === "wasmplugins")
      .map((r) => {
        const config = (
          r.body as { spec: { pluginConfig: { experiments: { assignment: Table }[] } } }
        ).spec.pluginConfig;
        return config.experiments[0]?.assignment as Table;
      });
    expect(tables.length).toBeGreaterThanOrEqual(2);
    const owners = (t: Table) => {
      const out: string[] = [];
      for (const e of t)
        for (const [a, b] of e.ranges) for (let i = a; i < b; i++) out[i] = e.version;
      return out;
    };
    for (let i = 1; i < tables.length; i++) {
      const [before, after] = [owners(tables[i - 1] as Table), owners(tables[i] as Table)];
      const moved = before.filter((v, b) => after[b] !== v).length;
      const count = (o: string[], v: string) => o.filter((x) => x === v).length;
      // minimal movement: exactly the buckets the growing versions gained
      const gained = ["v1", "v2", "v3"].reduce(
        (n, v) => n + Math.max(0, count(after, v) - count(before, v)),
        0,
      );
      expect(moved).toBe(gained);
      expect(moved).toBeGreaterThan(0);
    }
  });

  it("warns once on each experiment when its WasmPlugin is missing, and writes nothing", async () => {
    const c = await h.controller("replica-a", ports(), { wasmPlugin: { name: "not-installed" } });
    await h.create(c, "checkout", canarySpec());
    await h.advance(60_000);
    expect(h.eventReasons("checkout").filter((r) => r === "WasmPluginMissing")).toHaveLength(1);
    expect(h.wasmPluginPatches()).toBe(0);
    // the experiment itself goes on
    expect(h.experiment("checkout").status).toMatchObject({ iteration: 2 });
  });
});
