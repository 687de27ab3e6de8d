import { CohortError } from "../../../controller/src/core/errors.js";

/** A request given to `cohort route` is malformed; the message names the line or flag. */
export class RouteInputError extends CohortError {
  override readonly name: string = "RouteInputError";
}

/** The filter made no decision for a request (it did not set `cohort.decision`). */
export class NoDecisionError extends CohortError {
  override readonly name: string = "NoDecisionError";
}
