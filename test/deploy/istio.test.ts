import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { validateExperiment, versionsOf } from "../../controller/src/core/experiment/index.js";
import {
  DEFAULT_MIRROR_HEADER,
  DEFAULT_ROUTING_HEADER,
} from "../../controller/src/core/plugin-config.js";
import { docsOf, filesUnder, filterMetricsSource, type Manifest, one, ROOT } from "./manifests.js";

const schema = JSON.parse(readFileSync(join(ROOT, "filter/plugin-config.schema.json"), "utf8"));
const validPluginConfig = new Ajv2020({ allErrors: true }).compile(schema);

const API = {
  WasmPlugin: "extensions.istio.io/v1alpha1",
  EnvoyFilter: "networking.istio.io/v1alpha3",
  VirtualService: "networking.istio.io/v1beta1",
  DestinationRule: "networking.istio.io/v1beta1",
  IstioOperator: "install.istio.io/v1alpha1",
  Experiment: "cohort.dev/v1alpha1",
};

const istioFiles = filesUnder("deploy/istio", [".yaml"]);
const exampleFiles = filesUnder("deploy/examples/istio", [".yaml"]);

/** The routing and mirror headers the filter uses when the plugin config names none, from its source. */
function filterDefaultHeaders(): string[] {
  const text = readFileSync(join(ROOT, "filter/src/config/types.ts"), "utf8");
  const found = [...text.matchAll(/DEFAULT_(?:ROUTING|MIRROR)_HEADER = "([^"]+)"/g)].map(
    (m) => m[1] as string,
  );
  expect(found).toHaveLength(2);
  return found;
}

/** The subset each route sends to, and the header values it matches. */
function routesOf(vs: Manifest) {
  return (vs.spec.http as Manifest[]).map((r) => ({
    name: r.name as string,
    version: r.match?.[0]?.headers?.[DEFAULT_ROUTING_HEADER]?.exact as string | undefined,
    mirrorHeader: r.match?.[0]?.headers?.[DEFAULT_MIRROR_HEADER]?.exact as string | undefined,
    headers: Object.keys(r.match?.[0]?.headers ?? {}),
    subset: r.route[0].destination.subset as string,
    mirror: r.mirror?.subset as string | undefined,
    mirrorPercentage: r.mirrorPercentage?.value as number | undefined,
  }));
}

/** Checks a VirtualService/DestinationRule pair routes `versions` by header and mirrors to `mirror`. */
function expectHeaderRouting(
  vs: Manifest,
  dr: Manifest,
  versions: string[],
  baseline: string,
  mirror?: string,
) {
  const subsets = (dr.spec.subsets as Manifest[]).map((s) => s.name);
  expect(dr.spec.subsets.map((s: Manifest) => s.labels)).toEqual(
    subsets.map((s) => ({ version: s })),
  );
  const routes = routesOf(vs);
  for (const r of routes) {
    expect(
      r.headers.every((h) => h === DEFAULT_ROUTING_HEADER || h === DEFAULT_MIRROR_HEADER),
      r.name,
    ).toBe(true);
    expect(subsets).toContain(r.subset);
    if (r.version !== undefined) expect(r.subset).toBe(r.version);
  }
  // every version has a plain route, and the last route (no match) sends the rest to the baseline
  for (const v of versions)
    expect(routes.some((r) => r.version === v && r.mirrorHeader === undefined)).toBe(true);
  expect(routes.at(-1)).toMatchObject({ headers: [], subset: baseline, mirror: undefined });
  const mirrorRoutes = routes.filter((r) => r.mirror !== undefined);
  if (mirror === undefined) {
    expect(mirrorRoutes).toEqual([]);
    return;
  }
  expect(subsets).toContain(mirror);
  // one mirror route per version, each before that version's plain route, mirroring everything it matches
  expect(
    mirrorRoutes.map((r) => [r.version, r.mirrorHeader, r.mirror, r.mirrorPercentage]),
  ).toEqual(versions.map((v) => [v, mirror, mirror, 100]));
  for (const v of versions) {
    const m = routes.findIndex((r) => r.version === v && r.mirror !== undefined);
    const plain = routes.findIndex((r) => r.version === v && r.mirror === undefined);
    expect(m).toBeLessThan(plain);
  }
}

describe("deploy/istio", () => {
  it("uses the right apiVersion for every kind", () => {
    for (const file of [...istioFiles, ...exampleFiles]) {
      for (const doc of docsOf(file)) {
        expect(API[doc.kind as keyof typeof API], `${file}: ${doc.kind}`).toBe(doc.apiVersion);
      }
    }
  });

  it("installs the filter fail-open before the router: on callers' outbound side, or on the gateway", () => {
    const sidecar = one(docsOf("deploy/istio/wasm-plugin.yaml"), "WasmPlugin").spec;
    const gateway = one(docsOf("deploy/istio/wasm-plugin-gateway.yaml"), "WasmPlugin").spec;
    for (const spec of [sidecar, gateway]) {
      expect(spec.failStrategy).toBe("FAIL_OPEN");
      expect(spec.phase).toBe("AUTHN");
      expect(spec.url).toMatch(/^oci:\/\//);
      expect(spec.sha256).toBe("SHA256_OF_FILTER_WASM");
      expect(spec.pluginName).toBe("cohort");
    }
    expect(sidecar.match).toEqual([{ mode: "CLIENT" }]);
    expect(gateway.selector.matchLabels).toEqual({ istio: "ingressgateway" });
  });

  it("starts every WasmPlugin with a plugin config the filter accepts, using the default headers", () => {
    for (const file of ["deploy/istio/wasm-plugin.yaml", "deploy/istio/wasm-plugin-gateway.yaml"]) {
      const config = one(docsOf(file), "WasmPlugin").spec.pluginConfig;
      expect(validPluginConfig(config), JSON.stringify(validPluginConfig.errors)).toBe(true);
      expect(config).toMatchObject({
        routingHeader: DEFAULT_ROUTING_HEADER,
        mirrorHeader: DEFAULT_MIRROR_HEADER,
      });
    }
  });

  it("inserts the EnvoyFilter alternative right before the router, fail-open, delivered by ECDS", () => {
    const ef = one(docsOf("deploy/istio/envoy-filter.yaml"), "EnvoyFilter").spec;
    const [extension, filter] = ef.configPatches;
    expect(extension.applyTo).toBe("EXTENSION_CONFIG");
    expect(extension.patch.value.typed_config.config.fail_open).toBe(true);
    const configuration = JSON.parse(extension.patch.value.typed_config.config.configuration.value);
    expect(validPluginConfig(configuration)).toBe(true);
    expect(filter).toMatchObject({
      applyTo: "HTTP_FILTER",
      match: { context: "SIDECAR_OUTBOUND" },
      patch: { operation: "INSERT_BEFORE", value: { name: extension.patch.value.name } },
    });
    expect(filter.match.listener.filterChain.filter.subFilter.name).toBe(
      "envoy.filters.http.router",
    );
    expect(filter.patch.value.config_discovery.type_urls).toEqual([
      extension.patch.value.typed_config["@type"],
    ]);
  });

  it("guards every fail-open filter: the client's routing headers are removed before the filter runs", () => {
    const pairs = [
      ["deploy/istio/header-guard.yaml", "deploy/istio/wasm-plugin.yaml", "SIDECAR_OUTBOUND"],
      [
        "deploy/istio/header-guard-gateway.yaml",
        "deploy/istio/wasm-plugin-gateway.yaml",
        "GATEWAY",
      ],
    ] as const;
    for (const [guardFile, pluginFile, context] of pairs) {
      const guard = one(docsOf(guardFile), "EnvoyFilter");
      const plugin = one(docsOf(pluginFile), "WasmPlugin");
      expect(plugin.spec.failStrategy).toBe("FAIL_OPEN");
      // the same workloads, in the same namespace
      expect(guard.spec.workloadSelector.labels).toEqual(plugin.spec.selector.matchLabels);
      expect(guard.metadata.namespace).toBe(plugin.metadata.namespace);
      expect(guard.spec.configPatches).toHaveLength(1);
      const [patch] = guard.spec.configPatches;
      // INSERT_FIRST: at the head of the HTTP chain, before the Wasm filter wherever Istio put it
      expect(patch).toMatchObject({ applyTo: "HTTP_FILTER", match: { context } });
      expect(patch.patch.operation).toBe("INSERT_FIRST");
      expect(patch.match.listener.filterChain.filter.name).toBe(
        "envoy.filters.network.http_connection_manager",
      );
      const config = patch.patch.value.typed_config;
      expect(config["@type"]).toBe(
        "type.googleapis.com/envoy.extensions.filters.http.header_mutation.v3.HeaderMutation",
      );
      // exactly the headers the filter sets, as the plugin config (and the filter's defaults) name them
      const removed = (config.mutations.request_mutations as Manifest[]).map((m) => m.remove);
      expect(removed.sort()).toEqual(filterDefaultHeaders().sort());
      expect(removed.sort()).toEqual(
        [plugin.spec.pluginConfig.mirrorHeader, plugin.spec.pluginConfig.routingHeader].sort(),
      );
      expect(config.mutations.response_mutations).toBeUndefined();
    }
  });

  it("guards the EnvoyFilter alternative too: same callers, same headers as its configuration", () => {
    const ef = one(docsOf("deploy/istio/envoy-filter.yaml"), "EnvoyFilter").spec;
    const guard = one(docsOf("deploy/istio/header-guard.yaml"), "EnvoyFilter").spec;
    expect(guard.workloadSelector).toEqual(ef.workloadSelector);
    const [extension, filter] = ef.configPatches;
    expect(filter.match.context).toBe(guard.configPatches[0].match.context);
    const configuration = JSON.parse(extension.patch.value.typed_config.config.configuration.value);
    const removed = guard.configPatches[0].patch.value.typed_config.mutations.request_mutations.map(
      (m: Manifest) => m.remove,
    );
    expect(removed.sort()).toEqual(
      [configuration.mirrorHeader, configuration.routingHeader].sort(),
    );
  });

  it("routes on the filter's routing header and mirrors on its mirror header", () => {
    const vs = one(docsOf("deploy/istio/virtual-service.yaml"), "VirtualService");
    const dr = one(docsOf("deploy/istio/destination-rule.yaml"), "DestinationRule");
    expect(vs.spec.hosts).toEqual([dr.spec.host]);
    expectHeaderRouting(vs, dr, ["v1", "v2"], "v1", "v3");
  });

  it("lists exactly the filter's tag names in extraStatTags and keeps the filter's stats", () => {
    const proxy = one(docsOf("deploy/istio/mesh-config.yaml"), "IstioOperator").spec.meshConfig
      .defaultConfig;
    const tags = proxy.extraStatTags;
    // the filter's stats are named wasmcustom.<…>; Istio exports only the stats it is told to keep
    expect(proxy.proxyStatsMatcher.inclusionPrefixes).toEqual(["wasmcustom"]);
    expect([...tags].sort()).toEqual(filterMetricsSource().tags.sort());
    const text = readFileSync(join(ROOT, "deploy/istio/mesh-config.yaml"), "utf8");
    expect(text).toContain(
      `sidecar.istio.io/extraStatTags: ${filterMetricsSource().tags.join(",")}`,
    );
  });
});

describe("deploy/examples/istio", () => {
  it("has one example per testing pattern, plus mirroring and segmentation", () => {
    const patterns = exampleFiles
      .map((f) => one(docsOf(f), "Experiment").spec.testingPattern)
      .sort();
    expect(new Set(patterns)).toEqual(new Set(["AB", "ABN", "Canary", "Conformance"]));
    expect(exampleFiles.map((f) => f.split("/").at(-1))).toEqual(
      expect.arrayContaining(["mirroring.yaml", "segmentation.yaml"]),
    );
    const mirrored = exampleFiles.filter((f) => one(docsOf(f), "Experiment").spec.traffic?.mirror);
    const segmented = exampleFiles.filter(
      (f) => one(docsOf(f), "Experiment").spec.traffic?.segment,
    );
    expect(mirrored).toEqual(["deploy/examples/istio/mirroring.yaml"]);
    expect(segmented).toEqual(["deploy/examples/istio/segmentation.yaml"]);
  });

  for (const file of exampleFiles) {
    it(`${file}: a valid Experiment whose versions the VirtualService routes by header`, () => {
      const docs = docsOf(file);
      const experiment = one(docs, "Experiment");
      expect(validateExperiment(experiment)).toEqual([]);
      const versions = versionsOf(experiment.spec).map((v) => v.name);
      const mirror = experiment.spec.traffic?.mirror?.version;
      const dr = one(docs, "DestinationRule");
      expect(dr.spec.subsets.map((s: Manifest) => s.name)).toEqual([
        ...versions,
        ...(mirror ? [mirror] : []),
      ]);
      expectHeaderRouting(
        one(docs, "VirtualService"),
        dr,
        versions,
        experiment.spec.baseline.name,
        mirror,
      );
    });
  }

  it("puts a gateway experiment where its WasmPlugin is, and names that plugin", () => {
    const experiment = one(docsOf("deploy/examples/istio/segmentation.yaml"), "Experiment");
    const plugin = one(docsOf("deploy/istio/wasm-plugin-gateway.yaml"), "WasmPlugin");
    expect(experiment.metadata.namespace).toBe(plugin.metadata.namespace);
    expect(experiment.metadata.annotations["cohort.dev/wasm-plugin"]).toBe(plugin.metadata.name);
    const vs = one(docsOf("deploy/examples/istio/segmentation.yaml"), "VirtualService");
    expect(vs.spec.hosts).toEqual(experiment.spec.traffic.hosts);
  });
});
