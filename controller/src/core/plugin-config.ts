/**
 * The filter's configuration (docs/plugin-config.md) built from experiments and their current
 * weights: what the controller writes into the WasmPlugin's `pluginConfig`. Pure; the result is
 * checked against `filter/plugin-config.schema.json`, the schema the filter's fixtures are checked
 * against, so a config the filter would refuse never leaves the controller.
 */
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import schema from "../../../filter/plugin-config.schema.json" with { type: "json" };
import { type AssignmentTable, rebalance } from "./assignment.js";
import { CohortError } from "./errors.js";
import { type ExperimentSpec, versionsOf } from "./experiment/index.js";

export type FilterCondition =
  | { all: FilterCondition[] }
  | { any: FilterCondition[] }
  | { not: FilterCondition }
  | Record<string, unknown>;

export interface PluginExperiment {
  name: string;
  hosts?: string[];
  segment?: FilterCondition;
  stickyKey?: string[];
  baseline: string;
  versions: { name: string; weight: number }[];
  mirror?: { version: string; percent: number };
  salt: string;
  assignment?: AssignmentTable;
}

export interface PluginConfig {
  routingHeader: string;
  mirrorHeader: string;
  experiments: PluginExperiment[];
}

/** One experiment to put in the config, with the weights now in force. */
export interface PluginConfigEntry {
  /** The experiment's name: the filter's experiment name and its salt. */
  name: string;
  /** Where the experiment lives; a bare `spec.target` ("checkout") is a Service of this namespace. */
  namespace?: string;
  spec: ExperimentSpec;
  weights: Record<string, number>;
  /** The table the filter has now, so a new one moves as few users as possible. */
  previousAssignment?: AssignmentTable;
  /**
   * The status has stopped mirroring (`mirrorStopped(status, mirror.version)`: the dark version
   * failed an objective): the config has no mirror although the spec names one.
   */
  mirrorStopped?: boolean;
}

export interface PluginConfigOptions {
  routingHeader?: string;
  mirrorHeader?: string;
  /** The cluster's DNS domain for hosts derived from the target; default `cluster.local`. */
  clusterDomain?: string;
}

/** The config cannot be built or would be refused by the filter; the message names the field. */
export class PluginConfigError extends CohortError {
  override readonly name = "PluginConfigError";
}

export const DEFAULT_ROUTING_HEADER = "x-cohort-version";
export const DEFAULT_MIRROR_HEADER = "x-cohort-mirror";

/** Versions at or above this count get an assignment table (exact minimal movement). */
export const ASSIGNMENT_FROM_VERSIONS = 3;

const ajv = new Ajv2020({ allErrors: true, strict: false });
const check = ajv.compile(schema);

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The hosts a Service is reached by inside the mesh: `svc`, `svc.ns`, `svc.ns.svc` and the FQDN.
 * The target is `namespace/service` or `service` (in the experiment's namespace).
 */
export function hostsOfTarget(
  target: string,
  namespace: string | undefined,
  clusterDomain = "cluster.local",
): string[] {
  const parts = target.split("/");
  const [ns, svc] = parts.length === 2 ? parts : [namespace, parts[0]];
  if (parts.length > 2 || svc === undefined || !DNS_LABEL.test(svc) || ns === undefined) {
    throw new PluginConfigError(
      `spec.target: cannot derive hosts from ${JSON.stringify(target)} (expected "namespace/service" or "service"); set spec.traffic.hosts`,
    );
  }
  if (!DNS_LABEL.test(ns)) {
    throw new PluginConfigError(
      `spec.target: namespace ${JSON.stringify(ns)} is not a DNS label; set spec.traffic.hosts`,
    );
  }
  return [svc, `${svc}.${ns}`, `${svc}.${ns}.svc`, `${svc}.${ns}.svc.${clusterDomain}`];
}

/** The spec's segment in the filter's shape: one of all/any/not per node, leaves as they are. */
function conditionOf(c: Record<string, unknown>): FilterCondition {
  const nodes = (["all", "any", "not"] as const).filter((k) => c[k] !== undefined);
  if (nodes.length === 0) {
    const leaf: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(c)) if (v !== undefined) leaf[k] = v;
    return leaf;
  }
  const one = (k: "all" | "any" | "not"): FilterCondition =>
    k === "not"
      ? { not: conditionOf(c.not as Record<string, unknown>) }
      : { [k]: (c[k] as Record<string, unknown>[]).map(conditionOf) };
  return nodes.length === 1 ? one(nodes[0] as "all") : { all: nodes.map(one) };
}

function experimentOf(e: PluginConfigEntry, opts: PluginConfigOptions): PluginExperiment {
  const traffic = e.spec.traffic ?? {};
  const names = versionsOf(e.spec).map((v) => v.name);
  const weights = Object.fromEntries(names.map((n) => [n, e.weights[n] ?? 0]));
  const out: PluginExperiment = {
    name: e.name,
    hosts:
      traffic.hosts !== undefined && traffic.hosts.length > 0
        ? [...traffic.hosts]
        : hostsOfTarget(e.spec.target, e.namespace, opts.clusterDomain),
    baseline: e.spec.baseline.name,
    versions: names.map((name) => ({ name, weight: weights[name] ?? 0 })),
    salt: e.name,
  };
  if (traffic.segment !== undefined)
    out.segment = conditionOf(traffic.segment as Record<string, unknown>);
  if (traffic.stickyKey !== undefined) out.stickyKey = [...traffic.stickyKey];
  if (traffic.mirror !== undefined && e.mirrorStopped !== true)
    out.mirror = { version: traffic.mirror.version, percent: traffic.mirror.percent };
  if (names.every((n) => (weights[n] ?? 0) === 0)) {
    throw new PluginConfigError(
      `experiment ${e.name}: weights: must not all be 0 (got ${names.map((n) => `${n}=0`).join(",")})`,
    );
  }
  if (names.length >= ASSIGNMENT_FROM_VERSIONS) {
    try {
      out.assignment = rebalance(e.previousAssignment, weights);
    } catch (cause) {
      throw new PluginConfigError(`experiment ${e.name}: cannot build the assignment table`, {
        cause,
      });
    }
  }
  return out;
}

/** "experiments[0].versions[1].weight" from the JSON pointer ajv reports. */
function fieldOf(error: ErrorObject): string {
  const parts = error.instancePath.split("/").slice(1);
  let out = "";
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out === "" ? p : `.${p}`;
  return out === "" ? "(root)" : out;
}

/** Throws a {@link PluginConfigError} naming the first fields the filter's schema refuses. */
export function checkPluginConfig(config: unknown): asserts config is PluginConfig {
  if (check(config)) return;
  const problems = (check.errors ?? [])
    .filter((e) => e.keyword !== "oneOf" && e.keyword !== "if")
    .slice(0, 5)
    .map((e) => `${fieldOf(e)}: ${e.message ?? "is invalid"}`);
  throw new PluginConfigError(
    `plugin config refused by the filter's schema: ${problems.join("; ")}`,
  );
}

/**
 * The filter's config for `entries`, in their order (the filter tries experiments in order).
 * Hosts come from `spec.traffic.hosts`, else from the target; the salt is the experiment's name
 * so users keep their versions across restarts; with 3 or more versions an assignment table
 * built from `previousAssignment` moves as few users as possible when weights change.
 * @example buildPluginConfig([{ name: "checkout", namespace: "shop", spec, weights: { v1: 90, v2: 10 } }])
 * // { routingHeader: "x-cohort-version", mirrorHeader: "x-cohort-mirror", experiments: [{ name:
 * //   "checkout", hosts: ["checkout", "checkout.shop", ...], baseline: "v1", versions: [...], salt: "checkout" }] }
 */
export function buildPluginConfig(
  entries: readonly PluginConfigEntry[],
  opts: PluginConfigOptions = {},
): PluginConfig {
  const config: PluginConfig = {
    routingHeader: opts.routingHeader ?? DEFAULT_ROUTING_HEADER,
    mirrorHeader: opts.mirrorHeader ?? DEFAULT_MIRROR_HEADER,
    experiments: entries.map((e) => experimentOf(e, opts)),
  };
  checkPluginConfig(config);
  return config;
}
