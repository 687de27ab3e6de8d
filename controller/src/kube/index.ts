/** Kubernetes mode: the controller, its ports and the adapters it runs on. */
export { type Clock, type Scheduler, systemTime, type Timer } from "./clock.js";
export { Controller, type ControllerEvents, type ControllerOptions } from "./controller.js";
export { ControllerMetrics } from "./controller-metrics.js";
export { EVENT_COMPONENT, type EventReason } from "./events.js";
export {
  EXPERIMENTS,
  type ExperimentObject,
  type StoredStatus,
  WASM_PLUGIN_ANNOTATION,
} from "./experiment-object.js";
export { KeyedQueue } from "./keyed-queue.js";
export { WASM_PLUGINS } from "./kube-api.js";
export { KubeApiError } from "./kube-errors.js";
export { type LeaderElectionOptions, LeaderElector } from "./leader-election.js";
export { jsonEqual, mergePatchOf } from "./merge-patch.js";
export type { Promoter, PromotionTarget } from "./promoter.js";
export type { PromotionRecord, PromotionState } from "./promotion-record.js";
export { DEFAULT_WASM_PLUGIN, type WasmPluginOptions } from "./wasm-plugin-sync.js";
