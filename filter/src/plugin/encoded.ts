import { PluginConfig } from "../config/types";
import { Decision, decisionJson } from "../logic/decision";

/**
 * The UTF-8 bytes a configuration sends to the host, encoded once per configuration instead of
 * once per request: version names for the routing and mirror headers, and decision records.
 */
export class Encoded {
  /** Version names per experiment. */
  versions: ArrayBuffer[][] = [];
  /** Mirror version per experiment (empty when the experiment does not mirror). */
  mirrors: ArrayBuffer[] = [];
  // Decision records by (experiment, version, mirror, reason); at most 64 × 32 × 2 × 7 entries.
  private decisions: Map<u32, ArrayBuffer> = new Map();

  constructor(private config: PluginConfig) {
    for (let i = 0; i < config.experiments.length; i++) {
      const e = unchecked(config.experiments[i]);
      const names: ArrayBuffer[] = [];
      for (let v = 0; v < e.versions.length; v++) {
        names.push(String.UTF8.encode(unchecked(e.versions[v]).name));
      }
      this.versions.push(names);
      const m = e.mirror;
      this.mirrors.push(m !== null ? String.UTF8.encode(m.version) : new ArrayBuffer(0));
    }
  }

  /** The decision record of `d` as UTF-8 JSON. */
  decision(d: Decision): ArrayBuffer {
    const key =
      ((<u32>(d.experiment + 1) & 0xff) << 16) |
      ((<u32>(d.version + 1) & 0xff) << 8) |
      (d.mirror ? 0x80 : 0) |
      (<u32>d.reason & 0x7f);
    if (this.decisions.has(key)) return this.decisions.get(key);
    const bytes = String.UTF8.encode(decisionJson(this.config, d));
    this.decisions.set(key, bytes);
    return bytes;
  }
}
