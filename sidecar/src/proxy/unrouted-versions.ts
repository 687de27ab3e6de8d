import { isObj } from "./config-fields.js";
import type { RoutesConfig } from "./sidecar-config.js";

/**
 * Versions a plugin config names (experiment versions and mirror targets) that the route table
 * has no cluster for: their traffic would silently go to the default cluster, so the sidecar
 * warns about them.
 */
export function unroutedVersions(pluginConfig: unknown, routes: RoutesConfig): string[] {
  if (!isObj(pluginConfig) || !Array.isArray(pluginConfig.experiments)) return [];
  const out = new Set<string>();
  for (const e of pluginConfig.experiments) {
    if (!isObj(e)) continue;
    const names: unknown[] = Array.isArray(e.versions)
      ? e.versions.map((v) => (isObj(v) ? v.name : undefined))
      : [];
    if (isObj(e.mirror)) names.push(e.mirror.version);
    for (const n of names) {
      if (typeof n === "string" && routes.versions[n] === undefined) out.add(n);
    }
  }
  return [...out];
}
