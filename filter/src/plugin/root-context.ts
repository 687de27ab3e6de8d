import { getBufferString } from "../abi/buffers";
import { logError, logInfo } from "../abi/log";
import { incrementMetric } from "../abi/metrics";
import { BufferType } from "../abi/types";
import { parseConfig } from "../config/parse";
import { PluginConfig } from "../config/types";
import { Encoded } from "./encoded";
import { defineGlobalMetrics, defineMetrics, PluginMetrics } from "./metrics";

// The last configuration that validated in this VM. Envoy delivers a new pluginConfig (ECDS) as a
// new root context on the same VM, so module globals survive and a bad update can fall back here.
let lastGood: PluginConfig | null = null;
let lastGoodMetrics: PluginMetrics | null = null;

/** What a stream needs from its plugin: the configuration and the ids of its metrics. */
export class RootContext {
  config: PluginConfig | null = null;
  metrics: PluginMetrics = new PluginMetrics();
  /** UTF-8 names of the headers a client may not send (routing, mirror, override headers). */
  stripped: ArrayBuffer[] = [];
  strippedNames: string[] = [];
  routingHeader: ArrayBuffer = new ArrayBuffer(0);
  mirrorHeader: ArrayBuffer = new ArrayBuffer(0);
  encoded: Encoded = new Encoded(new PluginConfig());

  constructor(public id: u32) {}

  /**
   * Reads, validates and adopts the plugin configuration. A bad first configuration is refused
   * (false, error log naming the field); a bad later one keeps the last good one (true, error log).
   */
  configure(size: u32): bool {
    const text = getBufferString(BufferType.PluginConfiguration, size);
    let error = "";
    let config: PluginConfig | null = null;
    if (text === null) {
      error = "the host did not hand over the plugin configuration";
    } else if (text.length == 0) {
      error = "the plugin configuration is empty";
    } else {
      const result = parseConfig(text);
      config = result.config;
      error = result.error;
    }
    if (config !== null) {
      const metrics = new PluginMetrics();
      defineMetrics(config, metrics);
      this.adopt(config, metrics);
      lastGood = config;
      lastGoodMetrics = metrics;
      logInfo(
        "cohort: plugin configuration accepted: " +
          config.experiments.length.toString() +
          " experiment(s)",
      );
      return true;
    }
    const previous = lastGood;
    const previousMetrics = lastGoodMetrics;
    if (previous === null || previousMetrics === null) {
      const metrics = new PluginMetrics();
      defineGlobalMetrics(metrics);
      incrementMetric(metrics.configRejections, 1);
      logError("cohort: plugin configuration refused: " + error);
      return false;
    }
    incrementMetric(previousMetrics.configRejections, 1);
    logError("cohort: plugin configuration refused, keeping the last good one: " + error);
    this.adopt(previous, previousMetrics);
    return true;
  }

  private adopt(config: PluginConfig, metrics: PluginMetrics): void {
    this.config = config;
    this.metrics = metrics;
    this.routingHeader = String.UTF8.encode(config.routingHeader);
    this.mirrorHeader = String.UTF8.encode(config.mirrorHeader);
    this.encoded = new Encoded(config);
    // Routing and mirror header first: HttpContext relies on the order.
    const names: string[] = [config.routingHeader, config.mirrorHeader];
    for (let i = 0; i < config.experiments.length; i++) {
      const o = unchecked(config.experiments[i]).qaOverride;
      if (o !== null && !names.includes(o.header)) names.push(o.header);
    }
    this.strippedNames = names;
    this.stripped = [];
    for (let i = 0; i < names.length; i++) this.stripped.push(String.UTF8.encode(names[i]));
  }
}
