import { CohortError } from "../core/errors.js";

/** A promotion that did not finish; the message names the backend, the version and the step. */
export class PromotionFailed extends CohortError {
  override readonly name = "PromotionFailed";
  constructor(
    readonly kind: string,
    readonly version: string,
    readonly step: string,
    options?: { cause?: unknown; detail?: string },
  ) {
    super(
      `${kind} promotion of ${version} failed: ${step}${options?.detail === undefined ? "" : `: ${options.detail}`}`,
      options,
    );
  }
}

/** A program that could not be started, exited non-zero or ran past its timeout. */
export class ProgramFailed extends CohortError {
  override readonly name = "ProgramFailed";
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stderr: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A template that names a placeholder the version cannot fill, or is malformed. */
export class PromotionTemplateError extends CohortError {
  override readonly name = "PromotionTemplateError";
}
