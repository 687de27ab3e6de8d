import { describe, expect, it } from "vitest";
import {
  FilterModuleError,
  filterCheck,
  refusedExperiment,
} from "../../../controller/src/kube/filter-check.js";
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
  it("leaves out an experiment the filter refuses, writes the others, and warns naming the field", async () => {
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
    expect(h.eventReasons("search")).toContain("FilterRefused");
    expect(h.eventReasons("checkout")).not.toContain("FilterRefused");
    const event = h.fake.objects("events", NS).find((e) => e.reason === "FilterRefused") as {
      message: string;
      type: string;
    };
    expect(event.type).toBe("Warning");
    expect(event.message).toContain("segment.all[3].any[59]: segment has more than 256 conditions");
    expect(event.message).toContain(`WasmPlugin ${NS}/cohort is written without it`);
    // once, not on every sync, and no sync fails over it
    await h.advance(120_000, 5_000);
    expect(h.eventReasons("search").filter((r) => r === "FilterRefused")).toHaveLength(1);
    expect(errors).toEqual([]);
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
