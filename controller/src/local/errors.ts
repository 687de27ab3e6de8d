/** Errors of a local run: each names what is wrong and what to do about it. */
import { CohortError } from "../core/errors.js";

/** The experiment cannot run locally as written (a version without url, no Prometheus URL...). */
export class LocalRunError extends CohortError {
  override readonly name = "LocalRunError";
}

/** The state file belongs to another experiment or to an earlier version of this spec. */
export class StateMismatchError extends CohortError {
  override readonly name = "StateMismatchError";
}

/** The state file exists but cannot be read or is not a state file. */
export class StateFileError extends CohortError {
  override readonly name = "StateFileError";
}

/** The sidecar refused a plugin config or could not be reached. */
export class DataPlaneError extends CohortError {
  override readonly name = "DataPlaneError";
}
