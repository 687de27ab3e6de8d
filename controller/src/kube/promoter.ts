/** The promotion port: how the winner becomes the new baseline (helm, kustomize, ...). */
import type { ExperimentSpec } from "../core/experiment/index.js";

/** The experiment a promotion is for. */
export interface PromotionTarget {
  name: string;
  namespace: string;
  spec: ExperimentSpec;
}

/**
 * Makes `version` the running version of the experiment's target.
 *
 * Contract: idempotent — promoting the same version twice leaves the cluster as promoting it once
 * (the controller repeats a promotion it cannot prove finished, e.g. after a crash between doing
 * it and recording it). Throws a CohortError naming what failed; the controller retries next
 * interval and records the message.
 */
export interface Promoter {
  promote(experiment: PromotionTarget, version: string): Promise<void>;
}
