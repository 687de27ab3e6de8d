/**
 * `createPromoter`: one Promoter for every experiment, which picks the backend from each request's
 * `spec.promotion` and applies the contract's common rules (marker, dry run, errors).
 */
import { type Promotion, versionsOf } from "../core/experiment/index.js";
import type { Backend } from "./backend.js";
import { commandBackend } from "./command.js";
import { PromotionFailed } from "./errors.js";
import { helmBackend } from "./helm.js";
import { kustomizeBackend } from "./kustomize.js";
import type { Promoter, PromotionRequest, PromotionResult } from "./promoter.js";

export const DEFAULT_TIMEOUT_SECONDS = 300;

export interface PromoterOptions {
  /** Relative paths in the settings are resolved against it; default the working directory. */
  baseDir?: string;
  /** For markers; default the system clock. */
  now?: () => Date;
}

/** The backend a promotion names, or undefined for kind none (or no promotion at all). */
export function backendFor(
  promotion: Promotion | undefined,
  version = "the winner",
): Backend | undefined {
  const kind = promotion?.kind ?? "none";
  const missing = (field: string): never => {
    throw new PromotionFailed(
      kind,
      version,
      `spec.promotion.${field} is required with kind: ${kind}`,
    );
  };
  switch (kind) {
    case "kustomize":
      return kustomizeBackend(promotion?.kustomize ?? missing("kustomize"));
    case "helm":
      return helmBackend(promotion?.helm ?? missing("helm"));
    case "command":
      return commandBackend(promotion?.command ?? missing("command"));
    default:
      return undefined;
  }
}

/** `shop/checkout/promote-v2` (or `checkout/promote-v2` without a namespace). */
export function promotionId(request: PromotionRequest): string {
  const { name, namespace } = request.experiment;
  return `${namespace === undefined ? "" : `${namespace}/`}${name}/promote-${request.version}`;
}

export function createPromoter(options: PromoterOptions = {}): Promoter {
  const now = options.now ?? (() => new Date());
  return {
    async promote(request): Promise<PromotionResult> {
      const { experiment, version } = request;
      const promotion = experiment.spec.promotion;
      const kind = promotion?.kind ?? "none";
      const id = request.id ?? promotionId(request);
      const base = { kind, version };
      if (request.recorded?.id === id) {
        return {
          ...base,
          outcome: "already-promoted",
          message: `${version} was already promoted (${id} at ${request.recorded.at}); nothing done.`,
          steps: [],
        };
      }
      const spec = versionsOf(experiment.spec).find((v) => v.name === version);
      if (spec === undefined) {
        throw new PromotionFailed(
          kind,
          version,
          `${version} is not a version of ${experiment.name}`,
        );
      }
      const backend = backendFor(promotion, version);
      if (backend === undefined) {
        return {
          ...base,
          outcome: "nothing-to-do",
          message: `${version} won; promotion kind is none, so nothing was changed.`,
          steps: [],
        };
      }
      const dryRun = request.dryRun === true;
      const outcome = await backend.run({
        values: {
          version,
          name: experiment.name,
          namespace: experiment.namespace ?? "",
          variables: request.variables ?? spec.variables ?? {},
        },
        dryRun,
        baseDir: options.baseDir ?? process.cwd(),
        timeoutMs: (promotion?.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
      });
      if (dryRun) {
        return {
          ...base,
          ...outcome,
          outcome: "dry-run",
          message: `Dry run: ${kind} promotion of ${version} would take ${outcome.steps.length} step(s) (${outcome.steps.join("; ")}); nothing done.`,
        };
      }
      return {
        ...base,
        ...outcome,
        outcome: "promoted",
        message: `${version} promoted with ${kind}.`,
        marker: { id, version, kind, at: now().toISOString() },
      };
    },
  };
}
