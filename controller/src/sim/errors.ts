import { CohortError } from "../core/errors.js";

/** A simulation was asked for something it cannot produce; the message names the field. */
export class SimulationInputError extends CohortError {
  override readonly name = "SimulationInputError";
}
