import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ENVOY_DEFAULT_BUCKETS } from "../../../sidecar/src/host/index.js";
import { SidecarConfigError, SidecarStartError } from "../../../sidecar/src/proxy/errors.js";
import { loadSidecarConfig } from "../../../sidecar/src/proxy/load-config.js";
import { parseSidecarConfig } from "../../../sidecar/src/proxy/parse-config.js";
import { buildRouteTable } from "../../../sidecar/src/proxy/route-table.js";
import { startSidecar } from "../../../sidecar/src/proxy/sidecar.js";
import { unroutedVersions } from "../../../sidecar/src/proxy/unrouted-versions.js";
import { checkoutConfig } from "./harness.js";

const base = {
  clusters: [
    { name: "v1", url: "http://127.0.0.1:9001" },
    { name: "v2", url: "http://127.0.0.1:9002" },
  ],
  routes: { defaultCluster: "v1" },
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "cohort-sidecar-config-"));
});

describe("sidecar.yaml", () => {
  it("fills in Envoy's defaults", () => {
    const c = parseSidecarConfig(base);
    expect(c.listeners).toEqual([{ name: "listener_0", address: "127.0.0.1", port: 0 }]);
    expect(c.clusters[0]).toEqual({
      name: "v1",
      url: "http://127.0.0.1:9001",
      connectTimeoutMs: 5000,
      requestTimeoutMs: 15000,
    });
    expect(c.routes).toMatchObject({
      routingHeader: "x-cohort-version",
      mirrorHeader: "x-cohort-mirror",
      versions: { v1: "v1", v2: "v2" },
      defaultCluster: "v1",
    });
    expect(c.plugin.failStrategy).toBe("FAIL_CLOSE");
    expect(c.plugin.config).toEqual({ experiments: [] });
    expect(c.plugin.histogramBuckets).toEqual([...ENVOY_DEFAULT_BUCKETS]);
    expect(c.plugin.wasm).toMatch(/filter\/build\/filter\.wasm$/);
    expect(c.plugin.extraStatTags).toContain("cohort_version");
  });

  it("takes the routing and mirror headers from the plugin config when routes leave them out", () => {
    const c = parseSidecarConfig({
      ...base,
      plugin: { config: { routingHeader: "x-v", mirrorHeader: "x-m", experiments: [] } },
    });
    expect(c.routes.routingHeader).toBe("x-v");
    expect(c.routes.mirrorHeader).toBe("x-m");
  });

  it.each([
    [{ ...base, clusters: [] }, "sidecar.clusters: needs at least one cluster"],
    [
      { ...base, clusters: [{ name: "v1", url: "ftp://x" }] },
      'clusters[0].url: must be an http:// URL, got "ftp://x"',
    ],
    [{ ...base, clusters: [{ name: "v1" }] }, "clusters[0].url: is required"],
    [
      { ...base, clusters: [...base.clusters, { name: "v1", url: "http://a:1" }] },
      'clusters[2].name: duplicate cluster "v1"',
    ],
    [{ ...base, routes: { defaultCluster: "v9" } }, "routes.defaultCluster: must name a cluster"],
    [
      { ...base, routes: { defaultCluster: "v1", versions: { v2: "nope" } } },
      "routes.versions.v2: must name a cluster",
    ],
    [
      { ...base, routes: { defaultCluster: "v1", routingHeader: "X-Version" } },
      "routes.routingHeader: must be a lower-case header name",
    ],
    [
      { ...base, listeners: [{ port: 70000 }] },
      "listeners[0].port: must be an integer from 0 to 65535",
    ],
    [
      { ...base, plugin: { failStrategy: "FAIL_SOMETIMES" } },
      "plugin.failStrategy: must be FAIL_OPEN or FAIL_CLOSE",
    ],
    [
      { ...base, plugin: { histogramBuckets: [5, 1] } },
      "plugin.histogramBuckets[1]: must be positive",
    ],
    [{ ...base, admin: { prot: 1 } }, "admin.prot: unknown field"],
    [
      { ...base, clusters: [{ name: "a.b", url: "http://a:1" }] },
      "clusters[0].name: must be letters",
    ],
  ])("refuses %j naming the field", (input, message) => {
    expect(() => parseSidecarConfig(input)).toThrow(SidecarConfigError);
    expect(() => parseSidecarConfig(input)).toThrow(message);
  });

  it("reads a YAML file with the plugin config in a file beside it", () => {
    writeFileSync(join(dir, "plugin.json"), JSON.stringify(checkoutConfig()));
    const file = join(dir, "sidecar.yaml");
    writeFileSync(
      file,
      [
        "clusters:",
        "  - { name: v1, url: 'http://127.0.0.1:9001' }",
        "  - { name: v2, url: 'http://127.0.0.1:9002', requestTimeoutMs: 250 }",
        "routes: { defaultCluster: v1 }",
        "plugin: { configFile: plugin.json }",
      ].join("\n"),
    );
    const c = loadSidecarConfig(file);
    expect(c.clusters[1]?.requestTimeoutMs).toBe(250);
    expect((c.plugin.config as { experiments: { name: string }[] }).experiments[0]?.name).toBe(
      "checkout",
    );
  });

  it("names the file and the field when the YAML is wrong", () => {
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "clusters:\n  - { name: v1, url: 'http://127.0.0.1:9001', tiemout: 3 }\n");
    expect(() => loadSidecarConfig(file)).toThrow(`${file}: clusters[0].tiemout: unknown field`);
    writeFileSync(file, "clusters: [\n");
    expect(() => loadSidecarConfig(file)).toThrow(`${file}: not valid YAML`);
    expect(() => loadSidecarConfig(join(dir, "missing.yaml"))).toThrow("cannot read");
  });

  it("refuses to start when the filter refuses the plugin config, with the filter's message", async () => {
    const bad = checkoutConfig() as { experiments: Record<string, unknown>[] };
    (bad.experiments[0] as Record<string, unknown>).baseline = "v9";
    const start = startSidecar({ ...base, plugin: { config: bad } });
    await expect(start).rejects.toThrow(SidecarStartError);
    await expect(startSidecar({ ...base, plugin: { config: bad } })).rejects.toThrow(/baseline/);
  });
});

describe("the route table built from the config", () => {
  it("routes each version to its cluster, mirrors per mirror header and falls back to the default", () => {
    const c = parseSidecarConfig({
      ...base,
      routes: { defaultCluster: "v1", versions: { a: "v1", b: "v2" } },
    });
    const t = buildRouteTable(c.routes);
    expect(t.defaultCluster).toBe("v1");
    expect(t.rules).toEqual([
      {
        match: { "x-cohort-version": { exact: "a" }, "x-cohort-mirror": { exact: "b" } },
        cluster: "v1",
        mirror: { cluster: "v2" },
      },
      { match: { "x-cohort-version": { exact: "a" } }, cluster: "v1" },
      {
        match: { "x-cohort-version": { exact: "b" }, "x-cohort-mirror": { exact: "a" } },
        cluster: "v2",
        mirror: { cluster: "v1" },
      },
      { match: { "x-cohort-version": { exact: "b" } }, cluster: "v2" },
    ]);
  });
});

describe("versions the route table cannot reach", () => {
  it("are listed, so the sidecar can warn that their traffic goes to the default cluster", () => {
    const c = parseSidecarConfig(base);
    expect(unroutedVersions(checkoutConfig(50, 50, 10), c.routes)).toEqual(["v3"]);
    expect(unroutedVersions(checkoutConfig(50, 50), c.routes)).toEqual([]);
    expect(unroutedVersions("not an object", c.routes)).toEqual([]);
  });

  it("refuses two listeners with one name", () => {
    expect(() =>
      parseSidecarConfig({ ...base, listeners: [{ name: "a" }, { name: "a" }] }),
    ).toThrow('listeners[1].name: duplicate listener "a"');
  });
});
