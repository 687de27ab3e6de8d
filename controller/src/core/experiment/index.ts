/** The Experiment model: schema and types, validation, parsing, defaults, builtin metrics, the CRD. */
export * from "./builtin-metrics.js";
export * from "./crd.js";
export * from "./defaults.js";
export * from "./parse.js";
export * from "./problems.js";
export * from "./schema.js";
export { validateExperiment } from "./validate.js";
export * from "./versions.js";
