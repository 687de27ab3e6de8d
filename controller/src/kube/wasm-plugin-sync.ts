/**
 * Writes the filter's config into a WasmPlugin's `spec.pluginConfig`, only when it changes.
 *
 * Ownership: the controller owns `spec.pluginConfig` of one WasmPlugin per namespace — named by
 * `--wasm-plugin` (default `cohort`), or per experiment by the annotation `cohort.dev/wasm-plugin`
 * — and nothing else of it (url, selector, phase, failStrategy are the installer's). The config is
 * derived from every experiment of the namespace that names that plugin and has weights, so it is
 * level-triggered: whatever happened before (a crash, a missed write), the next sync writes the
 * config the stored statuses call for. The WasmPlugin itself is installed with deploy/istio; when
 * it is missing the controller says so (event, log) and writes nothing.
 *
 * The filter has the final word: before writing, the config runs through the real filter.wasm
 * (filter-check.ts). An experiment whose part the filter refuses is left out — the others are
 * written without it — and reported; a config the filter refuses as a whole is not written.
 */
import type { AssignmentTable } from "../core/assignment.js";
import {
  buildPluginConfig,
  type PluginConfig,
  type PluginConfigEntry,
  type PluginConfigOptions,
} from "../core/plugin-config.js";
import { mirrorStopped } from "../core/status.js";
import type { Logger } from "../log.js";
import { type ExperimentObject, WASM_PLUGIN_ANNOTATION } from "./experiment-object.js";
import { type FilterCheck, refusedExperiment } from "./filter-check.js";
import type { KubeApi } from "./kube-api.js";
import { jsonEqual } from "./merge-patch.js";

export interface WasmPluginOptions extends PluginConfigOptions {
  /** The WasmPlugin's name in each namespace; default `cohort`. */
  name?: string;
}

export const DEFAULT_WASM_PLUGIN = "cohort";

export type SyncOutcome = "updated" | "unchanged" | "missing" | "refused";

/** An experiment the filter refused, left out of the written config; `message` names the field. */
export interface Refusal {
  experiment: ExperimentObject;
  message: string;
}

export interface PluginSyncResult {
  outcome: SyncOutcome;
  /** Experiments left out because the filter refused their part of the config. */
  refused: Refusal[];
  /** The filter's refusal of the config as a whole (outcome "refused"): nothing was written. */
  refusal?: string;
}

/** The WasmPlugin (in the experiment's namespace) that carries an experiment's config. */
export function wasmPluginOf(o: ExperimentObject, defaultName = DEFAULT_WASM_PLUGIN): string {
  return o.metadata.annotations?.[WASM_PLUGIN_ANNOTATION] ?? defaultName;
}

/** The entry an experiment contributes, or undefined when it routes nothing (no weights yet, failed, deleted). */
export function entryOf(
  o: ExperimentObject,
  previous?: AssignmentTable,
): PluginConfigEntry | undefined {
  const weights = o.status?.weights;
  if (o.spec === undefined || weights === undefined || Object.keys(weights).length === 0)
    return undefined;
  if (o.status?.phase === "Failed" || o.metadata.deletionTimestamp !== undefined) return undefined;
  return {
    name: o.metadata.name,
    namespace: o.metadata.namespace,
    spec: o.spec,
    weights,
    mirrorStopped: mirrorStopped(o.status, o.spec.traffic?.mirror?.version),
    ...(previous === undefined ? {} : { previousAssignment: previous }),
  };
}

function previousTables(config: unknown): Map<string, AssignmentTable> {
  const out = new Map<string, AssignmentTable>();
  const list = (config as Partial<PluginConfig> | undefined)?.experiments;
  if (!Array.isArray(list)) return out;
  for (const e of list) if (e?.assignment !== undefined) out.set(e.name, e.assignment);
  return out;
}

export class WasmPluginSync {
  constructor(
    private readonly api: KubeApi,
    private readonly opts: WasmPluginOptions,
    private readonly log: Logger,
    private readonly check?: FilterCheck,
  ) {}

  get defaultName(): string {
    return this.opts.name ?? DEFAULT_WASM_PLUGIN;
  }

  /**
   * Builds the config of plugin `name` in `namespace` from the experiments stored there and
   * patches it when it differs from what the plugin has. `canWrite` is asked right before writing.
   */
  async sync(namespace: string, name: string, canWrite: () => boolean): Promise<PluginSyncResult> {
    const plugin = await this.api.getWasmPlugin(namespace, name);
    if (plugin === undefined) return { outcome: "missing", refused: [] };
    const current = plugin.spec?.pluginConfig;
    const tables = previousTables(current);
    const experiments = (await this.api.listExperiments(namespace))
      .filter((o) => wasmPluginOf(o, this.defaultName) === name)
      .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    const kept: { o: ExperimentObject; entry: PluginConfigEntry }[] = [];
    for (const o of experiments) {
      const entry = entryOf(o, tables.get(o.metadata.name));
      if (entry === undefined) continue;
      try {
        buildPluginConfig([entry], this.opts);
        kept.push({ o, entry });
      } catch (e) {
        this.log.warn("experiment left out of the plugin config", {
          experiment: `${namespace}/${o.metadata.name}`,
          error: String(e),
        });
      }
    }
    const where = `${namespace}/${name}`;
    const refused: Refusal[] = [];
    let config = buildPluginConfig(
      kept.map((k) => k.entry),
      this.opts,
    );
    for (
      let refusal = this.check?.(config);
      refusal !== undefined;
      refusal = this.check?.(config)
    ) {
      const i = refusedExperiment(refusal);
      const left = i === undefined ? undefined : kept[i];
      if (i === undefined || left === undefined) {
        this.log.error("the filter refuses the plugin config; not written", {
          wasmPlugin: where,
          refusal,
        });
        return { outcome: "refused", refused, refusal };
      }
      const field = refusal.replace(/^experiments\[\d+\]\.?/, "");
      const message = `the filter refuses this experiment's part of the plugin config (${field}); WasmPlugin ${where} is written without it`;
      this.log.warn("experiment refused by the filter, left out of the plugin config", {
        experiment: `${namespace}/${left.o.metadata.name}`,
        refusal: field,
      });
      refused.push({ experiment: left.o, message });
      kept.splice(i, 1);
      config = buildPluginConfig(
        kept.map((k) => k.entry),
        this.opts,
      );
    }
    if (jsonEqual(current, config) || !canWrite()) return { outcome: "unchanged", refused };
    await this.api.patchPluginConfig(plugin, config);
    this.log.info("plugin config written", {
      wasmPlugin: where,
      experiments: kept.map((k) => k.entry.name),
    });
    return { outcome: "updated", refused };
  }
}
