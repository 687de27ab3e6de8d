/** Promotion of the winner: the port, its backends (kustomize, helm, command) and the factory. */

export * from "./controller-port.js";
export * from "./errors.js";
export * from "./factory.js";
export type * from "./promoter.js";
