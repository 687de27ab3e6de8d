/** Errors of the Kubernetes adapter: what failed against the API server, with the HTTP code kept. */
import { ApiException } from "@kubernetes/client-node";
import { CohortError } from "../core/errors.js";

/** The HTTP code of a failed client-node call, or undefined for other errors (network, ...). */
export function httpCode(e: unknown): number | undefined {
  return e instanceof ApiException ? e.code : undefined;
}

export const isNotFound = (e: unknown): boolean => httpCode(e) === 404;
export const isConflict = (e: unknown): boolean => httpCode(e) === 409;

/** A call to the API server failed; the message names the call and the object. */
export class KubeApiError extends CohortError {
  override readonly name = "KubeApiError";
  constructor(
    what: string,
    readonly code: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(`${what} failed${code === undefined ? "" : ` (HTTP ${code})`}`, options);
  }
}

/** Wraps a client-node call so its failure says what was attempted. */
export async function kubeCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw new KubeApiError(what, httpCode(e), { cause: e });
  }
}

/** True when `e` (or its cause) is a failed call with HTTP `code`. */
export function hasCode(e: unknown, code: number): boolean {
  if (e instanceof KubeApiError) return e.code === code;
  return httpCode(e) === code;
}
