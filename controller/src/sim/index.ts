/**
 * A seeded traffic simulator (pure): a scenario's true version behaviour → simulated requests per
 * interval, split by the weights in force → cumulative {@link Observations} per look. Used by the
 * decisions benchmark and by tests that drive `reconcile` through whole experiments.
 */
export { binomial, EXACT_BINOMIAL_MEAN, multinomialInto } from "./binomial.js";
export { SimulationInputError } from "./errors.js";
export { type LatencyModel, latencyWithTail, lognormalLatency } from "./latency-model.js";
export {
  type SimulatedExperiment,
  type SimulatedLook,
  simulateExperiment,
} from "./run-experiment.js";
export {
  DEFAULT_BLOCK_SIZE,
  type MeanTruth,
  type MetricTruth,
  type RateTruth,
  type SimScenario,
  type VersionTruth,
} from "./scenario.js";
export { createSimulation, type Simulation, Traffic } from "./simulation.js";
export { splitRequests } from "./traffic-split.js";
export { VersionStream } from "./version-stream.js";
export { windowBetween } from "./window.js";
