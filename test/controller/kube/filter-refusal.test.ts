import { describe, expect, it } from "vitest";
import {
  FilterModuleError,
  filterCheck,
  refusedExperiment,
} from "../../../controller/src/kube/filter-check.js";
import { KubeApi } from "../../../controller/src/kube/kube-api.js";
import { WasmPluginSync } from "../../../controller/src/kube/wasm-plugin-sync.js";
import { createLogger } from "../../../controller/src/log.js";
import { canarySpec, type Harness, NS, ports, useHarness } from "./harness.js";

let h: Harness;

useHarness((x) => {
  h = x;
});

const leaves = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ header: `x-h${i}`, present: true as const }));
// 1 + 4 × (1 + 64) = 261 conditions: each list is within the controller's limits, the total is
// over the filter's 256 per segment, which only the filter counts
const hugeSegment = {
  all: [{ any: leaves(64) }, { any: leaves(64) }, { any: leaves(64) }, { any: leaves(64) }],
};

describe("cohort controller: the filter has the final word on the plugin config", () => {
  it("fails an experiment whose config the filter refuses, naming the field, and runs the others", async () => {
    const c = await h.controller("replica-a", ports());
    const errors: unknown[] = [];
    c.events.on("sync-error", (_k, e) => errors.push(e));
    await h.create(c, "checkout", canarySpec());
    await h.create(c, "search", {
      ...canarySpec(),
      target: "shop/search",
      traffic: { segment: hugeSegment },
    });
    await h.advance(30_000);

    expect(h.pluginConfig().experiments.map((e) => e.name)).toEqual(["checkout"]);
    expect(h.experiment("search").status?.phase).toBe("Failed");
    expect(h.conditions("search")).toMatchObject({ SpecValid: "False/InvalidSpec" });
    expect(h.experiment("search").status?.message).toBe(
      "invalid spec: the filter refuses its plugin config: segment.all[3].any[59]: segment has more than 256 conditions",
    );
    expect(h.eventReasons("search")).toEqual(["InvalidSpec"]);
    expect(h.experiment("checkout").status?.phase).not.toBe("Failed");
    // reported once, not on every sync, and no sync fails over it
    await h.advance(120_000, 5_000);
    expect(h.eventReasons("search")).toEqual(["InvalidSpec"]);
    expect(errors).toEqual([]);
  });
});

describe("WasmPluginSync: the filter's check right before the patch", () => {
  const stored = (name: string, traffic?: object) => ({
    apiVersion: "cohort.dev/v1alpha1",
    kind: "Experiment",
    metadata: { name, namespace: NS, generation: 1 },
    spec: {
      ...canarySpec(),
      target: `shop/${name}`,
      ...(traffic === undefined ? {} : { traffic }),
    },
    status: { phase: "Progressing", weights: { v1: 90, v2: 10 } },
  });

  it("writes the config without the experiment the filter refuses, and says which and why", async () => {
    // stored before the filter check existed: it has weights, so the plugin sync sees it
    h.fake.seed(stored("checkout"));
    h.fake.seed(stored("search", { segment: hugeSegment }));
    const logs: string[] = [];
    const sync = new WasmPluginSync(
      new KubeApi(h.kubeConfig()),
      {},
      createLogger({}, { write: (l) => logs.push(l), level: "debug" }),
      filterCheck(),
    );
    const r = await sync.sync(NS, "cohort", () => true);
    expect(r.outcome).toBe("updated");
    expect(h.pluginConfig().experiments.map((e) => e.name)).toEqual(["checkout"]);
    expect(r.refused.map((x) => [x.experiment.metadata.name, x.message])).toEqual([
      [
        "search",
        `the filter refuses this experiment's part of the plugin config (segment.all[3].any[59]: segment has more than 256 conditions); WasmPlugin ${NS}/cohort is written without it`,
      ],
    ]);
    expect(logs.some((l) => l.includes("experiment refused by the filter"))).toBe(true);
    // the next sync finds nothing to write
    expect((await sync.sync(NS, "cohort", () => true)).outcome).toBe("unchanged");
  });

  it("writes nothing when the filter refuses the config as a whole", async () => {
    h.fake.seed(stored("checkout"));
    const sync = new WasmPluginSync(
      new KubeApi(h.kubeConfig()),
      { routingHeader: "x-route", mirrorHeader: "x-route" },
      createLogger({}, { write: () => {}, level: "debug" }),
      filterCheck(),
    );
    const r = await sync.sync(NS, "cohort", () => true);
    expect(r).toMatchObject({
      outcome: "refused",
      refusal: "mirrorHeader: must differ from routingHeader",
    });
    expect(h.pluginConfig().experiments).toEqual([]);
    expect(h.wasmPluginPatches()).toBe(0);
  });
});

describe("filterCheck", () => {
  const check = filterCheck();
  const experiment = {
    name: "checkout",
    salt: "checkout",
    baseline: "v1",
    versions: [{ name: "v1", weight: 1 }],
  };

  it("returns the filter's own refusal, naming the field, and nothing for a config it takes", () => {
    const ok = {
      routingHeader: "x-cohort-version",
      mirrorHeader: "x-cohort-mirror",
      experiments: [experiment],
    };
    expect(check(ok)).toBeUndefined();
    const refusal = check({ ...ok, experiments: [{ ...experiment, salt: "😀".repeat(129) }] });
    expect(refusal).toBe("experiments[0].salt: must be at most 256 characters");
    expect(refusedExperiment(refusal ?? "")).toBe(0);
    const whole = check({ ...ok, mirrorHeader: "x-cohort-version" });
    expect(whole).toBe("mirrorHeader: must differ from routingHeader");
    expect(refusedExperiment(whole ?? "")).toBeUndefined();
  });

  it("says which module it could not read instead of vouching for any config", () => {
    const missing = filterCheck("/nonexistent/filter.wasm");
    expect(() => missing({ routingHeader: "a", mirrorHeader: "b", experiments: [] })).toThrow(
      FilterModuleError,
    );
    expect(() => missing({ routingHeader: "a", mirrorHeader: "b", experiments: [] })).toThrow(
      /\/nonexistent\/filter\.wasm/,
    );
  });
});
