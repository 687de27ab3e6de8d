import { CohortError } from "../core/errors.js";

/** Which version a query was about, when it was about one. */
function forVersion(version: string | undefined): string {
  return version === undefined ? "" : ` for version ${version}`;
}

/**
 * The source has no values for a metric of a version yet. It means *hold*: the controller keeps
 * the weights and promotes nothing until data arrives; it is not a failure of the version.
 */
export class NoDataError extends CohortError {
  override readonly name = "NoDataError";
  constructor(
    readonly metric: string,
    readonly version: string,
    detail: string,
  ) {
    super(`no data for metric ${metric}${forVersion(version)}: ${detail}`);
  }
}

/** A query or its transport failed: the source is down, refused the query or answered nonsense. */
export class ProviderError extends CohortError {
  override readonly name = "ProviderError";
  constructor(
    readonly metric: string,
    readonly version: string | undefined,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`query failed for metric ${metric}${forVersion(version)}: ${detail}`, options);
  }
}

/** The provider cannot produce this metric at all (a custom metric asked of `builtin`). */
export class UnsupportedMetricError extends CohortError {
  override readonly name = "UnsupportedMetricError";
  constructor(
    readonly metric: string,
    readonly provider: string,
    detail: string,
  ) {
    super(`metric ${metric} cannot come from the ${provider} provider: ${detail}`);
  }
}

/** A query template names a placeholder nobody gives a value for. */
export class TemplateError extends CohortError {
  override readonly name = "TemplateError";
  constructor(
    readonly metric: string,
    readonly placeholder: string,
    detail: string,
  ) {
    super(`query template of metric ${metric}: ${detail}`);
  }
}

export const isNoDataError = (e: unknown): e is NoDataError => e instanceof NoDataError;
export const isProviderError = (e: unknown): e is ProviderError => e instanceof ProviderError;
export const isUnsupportedMetricError = (e: unknown): e is UnsupportedMetricError =>
  e instanceof UnsupportedMetricError;
export const isTemplateError = (e: unknown): e is TemplateError => e instanceof TemplateError;
