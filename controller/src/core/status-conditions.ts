/** The conditions a reconcile step writes, from its decisions and phase. */
import type { Decisions } from "./analysis-types.js";
import { type Condition, type Phase, setCondition } from "./status.js";

function objectivesMet(d: Decisions): Omit<Condition, "lastTransitionTime"> {
  const entries = Object.entries(d.versions);
  const failing = entries.filter(([, a]) => a.validated === false);
  if (failing.length > 0) {
    const what = failing
      .map(
        ([v, a]) =>
          `${v} fails ${a.objectives
            .filter((o) => o.status === "fail")
            .map((o) => o.metric)
            .join(", ")}`,
      )
      .join("; ");
    return { type: "ObjectivesMet", status: "False", reason: "ObjectiveFailed", message: what };
  }
  if (entries.every(([, a]) => a.validated === true))
    return {
      type: "ObjectivesMet",
      status: "True",
      reason: "AllValidated",
      message: "Every version meets every objective.",
    };
  const open = entries.filter(([, a]) => a.validated === null).map(([v]) => v);
  return {
    type: "ObjectivesMet",
    status: "Unknown",
    reason: "Undecided",
    message: `Not decided yet for ${open.join(", ")}.`,
  };
}

function winnerFound(d: Decisions, terminal: boolean): Omit<Condition, "lastTransitionTime"> {
  if (d.winner !== null)
    return { type: "WinnerFound", status: "True", reason: "WinnerFound", message: d.winnerReason };
  return terminal
    ? { type: "WinnerFound", status: "False", reason: "NoWinner", message: d.winnerReason }
    : { type: "WinnerFound", status: "Unknown", reason: "Undecided", message: d.winnerReason };
}

function completed(phase: Phase, why: string): Omit<Condition, "lastTransitionTime"> {
  if (phase === "Completed")
    return { type: "Completed", status: "True", reason: "Completed", message: why };
  if (phase === "RolledBack")
    return { type: "Completed", status: "True", reason: "RolledBack", message: why };
  return {
    type: "Completed",
    status: "False",
    reason: phase === "Pending" ? "WaitingForTraffic" : "Running",
    message: why,
  };
}

/** Every condition updated for this step; times move only where a status changed. */
export function stepConditions(
  conditions: Condition[],
  d: Decisions,
  phase: Phase,
  why: string,
  now: Date,
): Condition[] {
  const terminal = phase === "Completed" || phase === "RolledBack";
  let out = setCondition(
    conditions,
    { type: "SpecValid", status: "True", reason: "Valid", message: "The spec is valid." },
    now,
  );
  out = setCondition(out, objectivesMet(d), now);
  out = setCondition(out, winnerFound(d, terminal), now);
  return setCondition(out, completed(phase, why), now);
}
