/** The sidecar's configuration (sidecar.yaml once parsed, defaults applied); see docs/sidecar.md. */

export interface ListenerConfig {
  name: string;
  address: string;
  /** 0 = an ephemeral port; the bound one is reported by startSidecar. */
  port: number;
}

export interface ClusterConfig {
  name: string;
  /** `http://host:port` of the version's endpoint. */
  url: string;
  /** Envoy's cluster `connect_timeout` (default 5 s). */
  connectTimeoutMs: number;
  /** Envoy's route `timeout`: request end → response complete (default 15 s; 0 = none). */
  requestTimeoutMs: number;
}

export interface RoutesConfig {
  /** The header the filter sets to the version (matches the plugin config's routingHeader). */
  routingHeader: string;
  /** The header the filter sets to the mirror version. */
  mirrorHeader: string;
  /** Version name → cluster name; default: every cluster under its own name. */
  versions: Record<string, string>;
  /** Where requests without a (known) version go: the baseline. */
  defaultCluster: string;
  /** Shadow requests in flight at most; more are dropped (Envoy's circuit-breaker overflow). */
  shadowMaxInFlight: number;
}

export type FailStrategy = "FAIL_OPEN" | "FAIL_CLOSE";

export interface PluginSection {
  /** false runs the same proxy without the filter (pass-through, for benchmarks). */
  enabled: boolean;
  /** Path of the .wasm module. */
  wasm: string;
  /** The plugin configuration (JSON value) given to proxy_on_configure. */
  config: unknown;
  failStrategy: FailStrategy;
  /** Istio extraStatTags: tag names the filter embeds, turned into Prometheus labels. */
  extraStatTags: string[];
  /** Histogram bucket bounds (ms) for the filter's histograms and upstream_rq_time. */
  histogramBuckets: number[];
  /** Istio pluginName (the root id). */
  rootId: string;
}

export interface AdminConfig {
  address: string;
  port: number;
}

export interface SidecarConfig {
  listeners: ListenerConfig[];
  clusters: ClusterConfig[];
  routes: RoutesConfig;
  plugin: PluginSection;
  admin: AdminConfig;
  /** Seed for generated x-request-id values (reproducible runs); absent = random UUIDs. */
  requestIdSeed?: number;
  /** One structured log line per request, with the filter's decision. */
  accessLog: boolean;
  /** How long stop() waits for in-flight requests before closing their connections. */
  drainTimeoutMs: number;
}
