/**
 * The sentences that announce a decision, shared by the Kubernetes Events and the chat
 * notifications so both say the same thing.
 */
import { objectiveLabel } from "../core/describe.js";
import type { ExperimentStatus } from "../core/status.js";

export function rollbackMessage(version: string): string {
  return `${version} is rolled back: it fails an objective.`;
}

/** "v3 no longer receives mirrored traffic: the dark version fails error-rate ≤ 0.05." */
export function mirrorStoppedMessage(status: ExperimentStatus, version: string): string {
  const failing = (status.versions[version]?.objectives ?? [])
    .filter((o) => o.status === "fail")
    .map(objectiveLabel);
  const what = failing.length === 0 ? "an objective" : failing.join(", ");
  return `${version} no longer receives mirrored traffic: the dark version fails ${what}.`;
}
