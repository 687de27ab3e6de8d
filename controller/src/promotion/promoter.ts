/**
 * The promotion port: how the winner of an experiment becomes what runs — a kustomization, a Helm
 * release, or a program of the user's. One file per backend (kustomize.ts, helm.ts, command.ts);
 * `createPromoter` (factory.ts) picks the backend from `spec.promotion` for each request.
 */
import type { ExperimentSpec } from "../core/experiment/index.js";

/** The experiment a promotion is for. */
export interface PromotionSubject {
  name: string;
  /** Cluster mode: the experiment's namespace. Local mode leaves it out. */
  namespace?: string;
  spec: ExperimentSpec;
}

/**
 * What the caller records after a promotion succeeded (in `status`, or local mode's state file) and
 * hands back with later requests: a request whose `id` equals the recorded marker's is a no-op.
 */
export interface PromotionMarker {
  id: string;
  version: string;
  kind: string;
  /** When the promotion finished, ISO 8601. */
  at: string;
}

export interface PromotionRequest {
  experiment: PromotionSubject;
  /** The winner: a version of the spec (baseline or candidate). */
  version: string;
  /** Template values; default: the version's `variables` from the spec. */
  variables?: Record<string, string>;
  /** Describe what would be done (files, commands) without writing or running anything. */
  dryRun?: boolean;
  /** This promotion's identity; default `<namespace>/<name>/promote-<version>`. */
  id?: string;
  /** The marker recorded after an earlier successful promotion of this experiment, if any. */
  recorded?: PromotionMarker;
}

export type PromotionOutcome = "promoted" | "already-promoted" | "dry-run" | "nothing-to-do";

export interface PromotionResult {
  outcome: PromotionOutcome;
  /** The backend: none, kustomize, helm or command. */
  kind: string;
  version: string;
  /** One sentence for logs, events and the terminal. */
  message: string;
  /** What was done (or, in a dry run, would be done), in order: `wrote …`, `ran …`. */
  steps: string[];
  /** Set when `outcome` is "promoted": the caller records it (exactly once). */
  marker?: PromotionMarker;
  /** kustomize: the rendered manifests, when kubectl was there to render them. */
  rendered?: string;
}

/**
 * Makes `request.version` what runs for the experiment's target.
 *
 * Contract:
 * - **idempotent**: promoting the same version with the same settings twice leaves the world as
 *   promoting it once (files get the same bytes, `helm upgrade --install` and `kubectl apply` converge;
 *   a `command` must be written so, see docs/promotion.md). A caller that cannot prove a promotion
 *   finished (it crashed before recording the marker) simply promotes again.
 * - **exactly once in effect**: when `request.recorded.id` equals the request's id, nothing runs and
 *   the outcome is "already-promoted"; otherwise a success returns a `marker` to record.
 * - **dry run**: `dryRun: true` writes and runs nothing and lists the steps it would take.
 * - **failures** reject with a {@link PromotionFailed} naming the backend, the version, the step
 *   (file or program), and for a program its exit code and an excerpt of its stderr. Files are
 *   written atomically (temp file + rename), so a failure never leaves half a file.
 */
export interface Promoter {
  promote(request: PromotionRequest): Promise<PromotionResult>;
}
