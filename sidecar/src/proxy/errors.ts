import { CohortError } from "../../../controller/src/core/errors.js";

/** sidecar.yaml (or the object given to startSidecar) is invalid; the message names the field. */
export class SidecarConfigError extends CohortError {
  override readonly name: string = "SidecarConfigError";
}

/** The sidecar could not start (a port in use, the plugin refused its config, ...). */
export class SidecarStartError extends CohortError {
  override readonly name: string = "SidecarStartError";
}
