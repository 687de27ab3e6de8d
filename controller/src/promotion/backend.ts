/** What every backend gets and gives; factory.ts adds the exactly-once marker and dry-run rules. */
import { isAbsolute, resolve } from "node:path";
import { describeError } from "../core/errors.js";
import { PromotionFailed } from "./errors.js";
import type { TemplateValues } from "./template.js";

export interface BackendContext {
  values: TemplateValues;
  dryRun: boolean;
  /** Relative paths in the settings are resolved against this directory. */
  baseDir: string;
  timeoutMs: number;
}

export interface BackendOutcome {
  steps: string[];
  rendered?: string;
}

export interface Backend {
  readonly kind: string;
  run(ctx: BackendContext): Promise<BackendOutcome>;
}

export function resolvePath(ctx: BackendContext, path: string): string {
  return isAbsolute(path) ? path : resolve(ctx.baseDir, path);
}

/** Runs `work`; any failure becomes a PromotionFailed naming the backend, version and `step`. */
export async function step<T>(
  kind: string,
  ctx: BackendContext,
  what: string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw new PromotionFailed(kind, ctx.values.version, what, {
      cause: e,
      detail: describeError(e),
    });
  }
}
