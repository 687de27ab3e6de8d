/** Local mode (`cohort run`): the runner, its time seam, the load generator and the state file. */
export { type DataPlane, upstreamsOf } from "./data-plane.js";
export * from "./errors.js";
export { createLoadGenerator, type LoadBatch, type LoadGenerator } from "./load-generator.js";
export { localPluginConfig } from "./local-plugin-config.js";
export { NOTIFY_WAIT_MS } from "./notifications.js";
export {
  lookBudget,
  type RunEnd,
  type RunOptions,
  type RunResult,
  runExperiment,
} from "./runner.js";
export { type Scheduler, systemScheduler, virtualScheduler } from "./scheduler.js";
export { type LocalState, type LookRecord, readState, STATE_FORMAT } from "./state-file.js";
