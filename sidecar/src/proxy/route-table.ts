import type { RouteConfig, RouteRule } from "../host/index.js";
import type { RoutesConfig } from "./sidecar-config.js";

/**
 * The host route table for sidecar.yaml's routes, as the VirtualService Cohort generates for Istio
 * amounts to: per version, a route matching `routingHeader: <version>` to the version's cluster;
 * before it, per (version, mirror version), the same route with a request mirror policy
 * (`mirrorPercentage` 100: the filter already sampled) to the mirror's cluster; last the catch-all
 * to the default cluster (the baseline). An unknown version value falls through to the baseline.
 */
export function buildRouteTable(r: RoutesConfig): RouteConfig {
  const rules: RouteRule[] = [];
  const versions = Object.entries(r.versions);
  for (const [version, cluster] of versions) {
    for (const [mirrorVersion, mirrorCluster] of versions) {
      if (mirrorVersion === version) continue;
      rules.push({
        match: {
          [r.routingHeader]: { exact: version },
          [r.mirrorHeader]: { exact: mirrorVersion },
        },
        cluster,
        mirror: { cluster: mirrorCluster },
      });
    }
    rules.push({ match: { [r.routingHeader]: { exact: version } }, cluster });
  }
  return { rules, defaultCluster: r.defaultCluster };
}
