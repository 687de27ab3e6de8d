/**
 * The plugin config of a local run. Our sidecar serves this one experiment, so unless the spec
 * names `traffic.hosts` the experiment takes every request whatever its Host header (the filter's
 * rule for an experiment without hosts) — users need not fake a mesh host name on their machine.
 */
import type { AssignmentTable } from "../core/assignment.js";
import type { ExperimentSpec } from "../core/experiment/index.js";
import { buildPluginConfig, type PluginConfig } from "../core/plugin-config.js";

export function localPluginConfig(
  name: string,
  spec: ExperimentSpec,
  weights: Record<string, number>,
  previousAssignment?: AssignmentTable,
  /** The status stopped mirroring (the dark version failed): no mirror in the config. */
  mirrorStopped = false,
): PluginConfig {
  const anyHost = spec.traffic?.hosts === undefined || spec.traffic.hosts.length === 0;
  const withHosts: ExperimentSpec = anyHost
    ? { ...spec, traffic: { ...spec.traffic, hosts: ["localhost"] } }
    : spec;
  const config = buildPluginConfig([
    {
      name,
      spec: withHosts,
      weights,
      mirrorStopped,
      ...(previousAssignment === undefined ? {} : { previousAssignment }),
    },
  ]);
  if (anyHost) for (const e of config.experiments) delete e.hosts;
  return config;
}
