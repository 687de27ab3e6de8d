/**
 * The Experiment's `.status`: everything a restarted controller needs to carry on exactly where it
 * was — the phase, the iteration, the latest assessments with their intervals, the weights and
 * their history, k8s-style conditions, the winner and recommendation, and the actions already taken
 * (so none is taken twice). Plain JSON, written by {@link reconcile}.
 */
import type { Decisions } from "./analysis-types.js";
import type { RngState } from "./stats/rng.js";

export type Phase = "Pending" | "Running" | "Completed" | "RolledBack" | "Failed";

/** A Kubernetes-style condition; `lastTransitionTime` moves only when `status` changes. */
export interface Condition {
  type: ConditionType;
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  lastTransitionTime: string;
}

export type ConditionType = "SpecValid" | "ObjectivesMet" | "WinnerFound" | "Completed";

/**
 * What the step asks the adapters to do. `promote`, `rollback` and `stop-mirror` happen at most
 * once per version; `stop-mirror`: the dark version fails an objective, so mirroring to it stops
 * (the plugin config built afterwards has no mirror, see {@link mirrorStopped}).
 */
export type Action =
  | { kind: "set-weights"; weights: Record<string, number> }
  | { kind: "rollback"; version: string }
  | { kind: "stop-mirror"; version: string }
  | { kind: "promote"; version: string };

/** An action the step has emitted, with a stable id (`rollback-v2`, `stop-mirror-v4`, `promote-v2`, `set-weights-3`). */
export type RecordedAction = Action & { id: string; iteration: number; time: string };

export interface WeightsRecord {
  iteration: number;
  time: string;
  weights: Record<string, number>;
}

/** The status: the decisions of the last look ({@link Decisions}) and all a restart needs. */
export interface ExperimentStatus extends Decisions {
  phase: Phase;
  /** Looks analysed so far; a look is new when its `elapsedSeconds` is past the last one. */
  iteration: number;
  /** `elapsedSeconds` of the last observations analysed (stale ones change nothing). */
  observedElapsedSeconds: number;
  startTime: string;
  lastUpdateTime: string;
  /** "v1=80,v2=20": what the CRD's printer column shows. */
  weightsSummary: string;
  weightsHistory: WeightsRecord[];
  conditions: Condition[];
  actions: RecordedAction[];
  /**
   * The seeded generator's state. Weights are now deterministic (equal split in the race), so it no
   * longer moves; kept so statuses written by earlier versions still load.
   */
  rngSeed: number;
  rngState: RngState;
  message: string;
}

/** Whether the status has stopped mirroring to `version` (a `stop-mirror` action was emitted). */
export function mirrorStopped(
  status: { actions?: readonly Action[] } | undefined,
  version: string | undefined,
): boolean {
  return (status?.actions ?? []).some((a) => a.kind === "stop-mirror" && a.version === version);
}

/** Whether carrying out `action` means pushing a new plugin config (weights or the mirror changed). */
export function changesPluginConfig(action: Action): boolean {
  return action.kind === "set-weights" || action.kind === "stop-mirror";
}

/** "v1=80,v2=20", in the order given. */
export function summariseWeights(weights: Record<string, number>): string {
  return Object.entries(weights)
    .map(([v, w]) => `${v}=${w}`)
    .join(",");
}

/**
 * `conditions` with `next` set: `lastTransitionTime` is kept when the status is unchanged, so a
 * condition's age says how long it has held.
 */
export function setCondition(
  conditions: Condition[],
  next: Omit<Condition, "lastTransitionTime">,
  now: Date,
): Condition[] {
  const prev = conditions.find((c) => c.type === next.type);
  const lastTransitionTime =
    prev !== undefined && prev.status === next.status ? prev.lastTransitionTime : now.toISOString();
  const updated: Condition = { ...next, lastTransitionTime };
  return prev === undefined
    ? [...conditions, updated]
    : conditions.map((c) => (c.type === next.type ? updated : c));
}
