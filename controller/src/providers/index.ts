/** Metrics providers: the port, the builtin and prometheus backends, and their factory. */
export {
  type LabelMatcher,
  parseSelectorSum,
  SELECTOR_SUM_HINT,
  type SelectorSum,
  SelectorSumError,
} from "../core/experiment/selector-sum.js";
export { BuiltinProvider, type BuiltinProviderOptions } from "./builtin.js";
export { METRICS_URL_VARIABLE } from "./builtin-custom.js";
export { type CollectRequestOptions, collectRequestFor } from "./collect-request.js";
export * from "./errors.js";
export {
  type Exposition,
  ExpositionError,
  parseExposition,
  type Sample,
} from "./exposition-parse.js";
export {
  createProvider,
  PROVIDER_KINDS,
  type ProviderKind,
  type ProviderOptions,
} from "./factory.js";
export { fromCumulative, latencyMean } from "./histogram.js";
export { PrometheusProvider, type PrometheusProviderOptions } from "./prometheus.js";
export { promqlDuration, renderTemplate, type TemplateContext } from "./promql-template.js";
export type { CollectRequest, MetricsProvider, VersionTarget } from "./provider.js";
