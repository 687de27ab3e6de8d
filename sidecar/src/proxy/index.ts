/** The local HTTP sidecar: public API (see docs/sidecar.md). */
export { ClusterStats } from "./cluster-stats.js";
export { SidecarConfigError, SidecarStartError } from "./errors.js";
export { loadSidecarConfig } from "./load-config.js";
export { COHORT_STAT_TAGS, parseSidecarConfig } from "./parse-config.js";
export { buildRouteTable } from "./route-table.js";
export { type Sidecar, type StartOptions, startSidecar } from "./sidecar.js";
export type {
  AdminConfig,
  ClusterConfig,
  FailStrategy,
  ListenerConfig,
  PluginSection,
  RoutesConfig,
  SidecarConfig,
} from "./sidecar-config.js";
