import { describe, expect, it } from "vitest";
import type { ExperimentSpec } from "../../../controller/src/core/experiment/index.js";
import {
  buildPluginConfig,
  hostsOfTarget,
  type PluginConfigEntry,
  PluginConfigError,
} from "../../../controller/src/core/plugin-config.js";
import { startFilter, versionOf } from "../../filter/harness.js";
import { spec } from "./scenario.js";

const sticky = { stickyKey: ["header:x-user-id"] };
const canary = spec("Canary", { target: "shop/checkout", traffic: sticky });
const abn = spec("ABN", { target: "shop/checkout", traffic: sticky }, ["v2", "v3"]);

function entry(over: Partial<PluginConfigEntry> = {}): PluginConfigEntry {
  return {
    name: "checkout",
    namespace: "shop",
    spec: canary,
    weights: { v1: 90, v2: 10 },
    ...over,
  };
}

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(PluginConfigError);
    return (e as Error).message;
  }
  throw new Error("expected a PluginConfigError");
}

const users = Array.from({ length: 2000 }, (_, i) => `user-${i}`);
const HOST = "checkout.shop.svc.cluster.local";

describe("buildPluginConfig", () => {
  it("builds the filter's config from a spec and its weights, hosts derived from the target", () => {
    const s: ExperimentSpec = {
      ...canary,
      traffic: {
        stickyKey: ["header:x-user-id", "cookie:uid"],
        segment: { all: [{ header: "x-country", exact: "wakanda" }] },
        mirror: { version: "v3", percent: 25 },
      },
    };
    expect(buildPluginConfig([entry({ spec: s })])).toEqual({
      routingHeader: "x-cohort-version",
      mirrorHeader: "x-cohort-mirror",
      experiments: [
        {
          name: "checkout",
          hosts: ["checkout", "checkout.shop", "checkout.shop.svc", HOST],
          segment: { all: [{ header: "x-country", exact: "wakanda" }] },
          stickyKey: ["header:x-user-id", "cookie:uid"],
          baseline: "v1",
          versions: [
            { name: "v1", weight: 90 },
            { name: "v2", weight: 10 },
          ],
          mirror: { version: "v3", percent: 25 },
          salt: "checkout",
        },
      ],
    });
  });

  it("takes spec.traffic.hosts over the target, and a bare target as a Service of the namespace", () => {
    const hosts = (s: ExperimentSpec, ns?: string) =>
      buildPluginConfig([entry({ spec: s, namespace: ns })]).experiments[0]?.hosts;
    expect(
      hosts({ ...canary, traffic: { hosts: ["shop.example.com", "*.shop.example.com"] } }),
    ).toEqual(["shop.example.com", "*.shop.example.com"]);
    expect(hosts({ ...canary, target: "search" }, "web")).toEqual([
      "search",
      "search.web",
      "search.web.svc",
      "search.web.svc.cluster.local",
    ]);
    expect(hostsOfTarget("shop/checkout", undefined, "corp.internal")).toContain(
      "checkout.shop.svc.corp.internal",
    );
  });

  it("uses the given headers and keeps the experiments in the order given", () => {
    const config = buildPluginConfig(
      [entry({ name: "b" }), entry({ name: "a", spec: { ...canary, target: "shop/a" } })],
      { routingHeader: "x-version", mirrorHeader: "x-dark" },
    );
    expect([config.routingHeader, config.mirrorHeader]).toEqual(["x-version", "x-dark"]);
    expect(config.experiments.map((e) => [e.name, e.salt])).toEqual([
      ["b", "b"],
      ["a", "a"],
    ]);
  });

  it("adds an assignment table from three versions up, and none for two", () => {
    expect(buildPluginConfig([entry()]).experiments[0]?.assignment).toBeUndefined();
    const config = buildPluginConfig([entry({ spec: abn, weights: { v1: 50, v2: 30, v3: 20 } })]);
    expect(config.experiments[0]?.assignment).toEqual([
      { version: "v1", ranges: [[0, 5000]] },
      { version: "v2", ranges: [[5000, 8000]] },
      { version: "v3", ranges: [[8000, 10000]] },
    ]);
  });

  it("refuses what the filter would refuse, naming the field", () => {
    expect(refusal(() => buildPluginConfig([entry({ name: "a".repeat(64) })]))).toBe(
      'plugin config refused by the filter\'s schema: experiments[0].name: must match pattern "^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$"',
    );
    expect(refusal(() => buildPluginConfig([entry()], { routingHeader: "X-Version" }))).toBe(
      "plugin config refused by the filter's schema: routingHeader: must match pattern \"^[a-z0-9!#$%&'*+.^_`|~-]{1,128}$\"",
    );
    expect(
      refusal(() => buildPluginConfig([entry({ spec: { ...canary, target: "a/b/c" } })])),
    ).toBe(
      'spec.target: cannot derive hosts from "a/b/c" (expected "namespace/service" or "service"); set spec.traffic.hosts',
    );
    expect(refusal(() => buildPluginConfig([entry({ weights: {} })]))).toBe(
      "experiment checkout: weights: must not all be 0 (got v1=0,v2=0)",
    );
  });
});

describe("buildPluginConfig with the compiled filter", () => {
  it("gives a config the real filter accepts and splits users by its weights", () => {
    const emu = startFilter(buildPluginConfig([entry()]));
    const got = users.map((u) => versionOf(emu, HOST, u));
    const v2 = got.filter((v) => v === "v2").length;
    // 2000 users at 10 %: binomial sd = sqrt(2000·0.1·0.9) ≈ 13.4; ±4 sd around 200
    expect(v2).toBeGreaterThan(146);
    expect(v2).toBeLessThan(254);
    expect(got.filter((v) => v !== "v1" && v !== "v2")).toEqual([]);
    expect(versionOf(emu, "other.example.com", "user-1")).toBeNull();
  });

  it("moves only users into versions that grew when a table is rebalanced from the previous one", () => {
    const first = buildPluginConfig([entry({ spec: abn, weights: { v1: 50, v2: 30, v3: 20 } })]);
    const previousAssignment = first.experiments[0]?.assignment;
    const second = buildPluginConfig([
      entry({ spec: abn, weights: { v1: 40, v2: 50, v3: 10 }, previousAssignment }),
    ]);
    const old = startFilter(first);
    const before = users.map((u) => versionOf(old, HOST, u));
    const emu = startFilter(second);
    const after = users.map((u) => versionOf(emu, HOST, u));
    const movedTo = new Set(after.filter((v, i) => v !== before[i]));
    expect([...movedTo]).toEqual(["v2"]);
    // v2 grew by 20 points: about 400 of 2000 users move (binomial sd ≈ 17.9, ±4 sd)
    const moved = after.filter((v, i) => v !== before[i]).length;
    expect(moved).toBeGreaterThan(328);
    expect(moved).toBeLessThan(472);
  });
});
