import { isAbsolute, resolve } from "node:path";
import { ENVOY_DEFAULT_BUCKETS } from "../host/index.js";
import { filterWasmPath } from "../route/package-root.js";
import {
  bool,
  fail,
  headerName,
  int,
  isObj,
  list,
  type Obj,
  obj,
  onlyKeys,
  str,
} from "./config-fields.js";
import type {
  AdminConfig,
  ClusterConfig,
  ListenerConfig,
  PluginSection,
  RoutesConfig,
  SidecarConfig,
} from "./sidecar-config.js";

/** The filter's Istio tag names (filter/src/plugin/metrics.ts), turned into labels by default. */
export const COHORT_STAT_TAGS = [
  "cohort_experiment",
  "cohort_version",
  "cohort_reason",
  "cohort_status_class",
];

export interface ParseOptions {
  /** Relative paths (plugin.wasm, plugin.configFile) are resolved against it. */
  baseDir?: string;
  /** Reads plugin.configFile (JSON); given by the loader so this module stays free of fs. */
  readFile?: (path: string) => string;
}

const MAX_MS = 24 * 3600 * 1000;
const CLUSTER_NAME = /^[A-Za-z0-9_|-]+$/;

function listeners(o: Obj): ListenerConfig[] {
  const raw = list(o, "listeners", "sidecar") ?? [{}];
  if (raw.length === 0) fail("sidecar.listeners", "needs at least one listener");
  const seen = new Set<string>();
  return raw.map((l, i) => {
    const p = `listeners[${i}]`;
    const lo = obj(l, p);
    onlyKeys(lo, p, ["name", "address", "port"]);
    const name = str(lo, "name", p, `listener_${i}`);
    if (seen.has(name)) fail(`${p}.name`, `duplicate listener ${JSON.stringify(name)}`);
    seen.add(name);
    return {
      name,
      address: str(lo, "address", p, "127.0.0.1"),
      port: int(lo, "port", p, 0, 0, 65535),
    };
  });
}

function clusterUrl(v: string, path: string): string {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    fail(path, `must be an http:// URL, got ${JSON.stringify(v)}`);
  }
  if (u.protocol !== "http:") fail(path, `must be an http:// URL, got ${JSON.stringify(v)}`);
  if (u.pathname !== "/" || u.search !== "" || u.hash !== "") {
    fail(path, `must be scheme://host:port only (no path), got ${JSON.stringify(v)}`);
  }
  return u.origin;
}

function clusters(o: Obj): ClusterConfig[] {
  const raw = list(o, "clusters", "sidecar");
  if (raw === undefined || raw.length === 0) fail("sidecar.clusters", "needs at least one cluster");
  const seen = new Set<string>();
  return raw.map((c, i) => {
    const p = `clusters[${i}]`;
    const co = obj(c, p);
    onlyKeys(co, p, ["name", "url", "connectTimeoutMs", "requestTimeoutMs"]);
    const name = str(co, "name", p);
    if (!CLUSTER_NAME.test(name)) {
      fail(`${p}.name`, `must be letters, digits, '_', '-' or '|', got ${JSON.stringify(name)}`);
    }
    if (seen.has(name)) fail(`${p}.name`, `duplicate cluster ${JSON.stringify(name)}`);
    seen.add(name);
    return {
      name,
      url: clusterUrl(str(co, "url", p), `${p}.url`),
      connectTimeoutMs: int(co, "connectTimeoutMs", p, 5000, 1, MAX_MS),
      requestTimeoutMs: int(co, "requestTimeoutMs", p, 15000, 0, MAX_MS),
    };
  });
}

function routes(o: Obj, cl: ClusterConfig[], pluginConfig: unknown): RoutesConfig {
  const ro = obj(o.routes, "routes");
  onlyKeys(ro, "routes", [
    "routingHeader",
    "mirrorHeader",
    "versions",
    "defaultCluster",
    "shadowMaxInFlight",
  ]);
  const names = new Set(cl.map((c) => c.name));
  const pc = isObj(pluginConfig) ? pluginConfig : {};
  const dRouting = typeof pc.routingHeader === "string" ? pc.routingHeader : "x-cohort-version";
  const dMirror = typeof pc.mirrorHeader === "string" ? pc.mirrorHeader : "x-cohort-mirror";
  let versions: Record<string, string>;
  if (ro.versions === undefined || ro.versions === null) {
    versions = Object.fromEntries(cl.map((c) => [c.name, c.name]));
  } else {
    const vo = obj(ro.versions, "routes.versions");
    versions = {};
    for (const [v, c] of Object.entries(vo)) {
      if (typeof c !== "string" || !names.has(c)) {
        fail(`routes.versions.${v}`, `must name a cluster (${[...names].join(", ")})`);
      }
      versions[v] = c;
    }
  }
  const defaultCluster = str(ro, "defaultCluster", "routes", cl.length === 1 ? cl[0]?.name : "");
  if (!names.has(defaultCluster)) {
    fail("routes.defaultCluster", `must name a cluster (${[...names].join(", ")})`);
  }
  return {
    routingHeader: headerName(ro, "routingHeader", "routes", dRouting),
    mirrorHeader: headerName(ro, "mirrorHeader", "routes", dMirror),
    versions,
    defaultCluster,
    shadowMaxInFlight: int(ro, "shadowMaxInFlight", "routes", 64, 1, 100000),
  };
}

function resolvePath(p: string, baseDir: string | undefined): string {
  return isAbsolute(p) || baseDir === undefined ? p : resolve(baseDir, p);
}

function plugin(o: Obj, opts: ParseOptions): PluginSection {
  const po = obj(o.plugin, "plugin");
  onlyKeys(po, "plugin", [
    "enabled",
    "wasm",
    "config",
    "configFile",
    "failStrategy",
    "extraStatTags",
    "histogramBuckets",
    "rootId",
  ]);
  let config: unknown = po.config ?? { experiments: [] };
  if (po.configFile !== undefined && po.configFile !== null) {
    if (po.config !== undefined) fail("plugin.configFile", "give either config or configFile");
    const file = resolvePath(str(po, "configFile", "plugin"), opts.baseDir);
    if (!opts.readFile) fail("plugin.configFile", "cannot be read here; pass the config inline");
    let text: string;
    try {
      text = opts.readFile(file);
    } catch (e) {
      fail("plugin.configFile", `cannot read ${file} (${(e as Error).message})`);
    }
    try {
      config = JSON.parse(text);
    } catch (e) {
      fail("plugin.configFile", `${file} is not JSON (${(e as Error).message})`);
    }
  }
  const fs = str(po, "failStrategy", "plugin", "FAIL_CLOSE");
  if (fs !== "FAIL_OPEN" && fs !== "FAIL_CLOSE") {
    fail("plugin.failStrategy", `must be FAIL_OPEN or FAIL_CLOSE, got ${JSON.stringify(fs)}`);
  }
  const tags = list(po, "extraStatTags", "plugin") ?? COHORT_STAT_TAGS;
  tags.forEach((t, i) => {
    if (typeof t !== "string" || t.length === 0) {
      fail(`plugin.extraStatTags[${i}]`, "must be a non-empty string");
    }
  });
  const buckets = list(po, "histogramBuckets", "plugin") ?? [...ENVOY_DEFAULT_BUCKETS];
  buckets.forEach((b, i) => {
    const prev = i === 0 ? 0 : (buckets[i - 1] as number);
    if (typeof b !== "number" || !Number.isFinite(b) || b <= prev) {
      fail(`plugin.histogramBuckets[${i}]`, "must be positive numbers in increasing order");
    }
  });
  return {
    enabled: bool(po, "enabled", "plugin", true),
    wasm: resolvePath(str(po, "wasm", "plugin", filterWasmPath()), opts.baseDir),
    config,
    failStrategy: fs,
    extraStatTags: tags as string[],
    histogramBuckets: buckets as number[],
    rootId: str(po, "rootId", "plugin", "cohort"),
  };
}

function admin(o: Obj): AdminConfig {
  const ao = obj(o.admin, "admin");
  onlyKeys(ao, "admin", ["address", "port"]);
  return {
    address: str(ao, "address", "admin", "127.0.0.1"),
    port: int(ao, "port", "admin", 0, 0, 65535),
  };
}

/**
 * Checks a parsed sidecar.yaml and applies defaults. Throws SidecarConfigError naming the field
 * (`clusters[1].url: must be an http:// URL, got "ftp://x"`).
 */
export function parseSidecarConfig(input: unknown, opts: ParseOptions = {}): SidecarConfig {
  if (!isObj(input)) fail("sidecar", "must be a mapping (listeners, clusters, routes, plugin)");
  onlyKeys(input, "sidecar", [
    "listeners",
    "clusters",
    "routes",
    "plugin",
    "admin",
    "requestIdSeed",
    "accessLog",
    "drainTimeoutMs",
  ]);
  const cl = clusters(input);
  const pl = plugin(input, opts);
  const seed = input.requestIdSeed;
  const config: SidecarConfig = {
    listeners: listeners(input),
    clusters: cl,
    routes: routes(input, cl, pl.config),
    plugin: pl,
    admin: admin(input),
    accessLog: bool(input, "accessLog", "sidecar", false),
    drainTimeoutMs: int(input, "drainTimeoutMs", "sidecar", 10000, 0, MAX_MS),
  };
  if (seed !== undefined && seed !== null) {
    config.requestIdSeed = int(input, "requestIdSeed", "sidecar", 0, 0, 2 ** 32 - 1);
  }
  return config;
}
