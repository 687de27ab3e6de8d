/**
 * The filter's own word on a plugin config: runs it through the real filter.wasm in Cohort's
 * proxy-wasm host (sidecar/src/host), as Envoy would on a new WasmPlugin config. The controller's
 * own checks and the JSON Schema can only be as strict as they were written; the filter refusing a
 * config means every experiment on that WasmPlugin stays on its last good config, so nothing is
 * written that the filter would refuse.
 */
import { readFileSync } from "node:fs";
import { Emulator, PluginConfigRejectedError } from "../../../sidecar/src/host/index.js";
import { filterWasmPath } from "../../../sidecar/src/route/package-root.js";
import { CohortError } from "../core/errors.js";
import type { PluginConfig } from "../core/plugin-config.js";

/** The filter's refusal of `config` (`experiments[1].segment…: problem`), or undefined if it takes it. */
export type FilterCheck = (config: PluginConfig) => string | undefined;

/** filter.wasm cannot be read or loaded: the controller cannot vouch for any config. */
export class FilterModuleError extends CohortError {
  override readonly name = "FilterModuleError";
}

const REFUSED = "cohort: plugin configuration refused: ";
/** Verdicts remembered per config text: a sync asks again for the same spec every look. */
const REMEMBERED = 128;

/**
 * A check backed by the filter module `wasm` (bytes, or a path; default filter/build/filter.wasm
 * under the package root, as `cohort route` finds it). The module is read on first use.
 */
export function filterCheck(wasm: string | Uint8Array = filterWasmPath()): FilterCheck {
  let bytes: Uint8Array | undefined = typeof wasm === "string" ? undefined : wasm;
  const verdicts = new Map<string, string | undefined>();
  const run = (config: PluginConfig): string | undefined => {
    if (bytes === undefined) {
      try {
        bytes = readFileSync(wasm as string);
      } catch (e) {
        throw new FilterModuleError(
          `cannot read the filter module ${String(wasm)} to check plugin configs`,
          { cause: e },
        );
      }
    }
    try {
      Emulator.startSync({ wasm: bytes, pluginConfig: config });
      return undefined;
    } catch (e) {
      if (!(e instanceof PluginConfigRejectedError)) {
        throw new FilterModuleError("the filter module failed to start", { cause: e });
      }
      const message = e.errors.map((m) => (m.startsWith(REFUSED) ? m.slice(REFUSED.length) : m));
      return message.join("; ") || e.message;
    }
  };
  return (config) => {
    const text = JSON.stringify(config);
    if (verdicts.has(text)) return verdicts.get(text);
    const verdict = run(config);
    if (verdicts.size >= REMEMBERED) verdicts.clear();
    verdicts.set(text, verdict);
    return verdict;
  };
}

/** The index of the experiment a refusal names (`experiments[3]…`), or undefined for the whole config. */
export function refusedExperiment(refusal: string): number | undefined {
  const m = /^experiments\[(\d+)\]/.exec(refusal);
  return m === null ? undefined : Number(m[1]);
}
