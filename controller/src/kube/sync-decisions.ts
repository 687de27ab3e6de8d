/** What a step's decisions call for besides the status: Events and decision counts. */
import type { ReconcileResult } from "../core/reconcile.js";
import type { ExperimentStatus } from "../core/status.js";
import { mirrorStoppedMessage, rollbackMessage } from "../notify/decision-messages.js";
import type { ExperimentEvent } from "./events.js";
import { TERMINAL } from "./sync-spec.js";

/** The events a step's decisions call for, from the status before and after. */
export function decisionEvents(
  prev: ExperimentStatus | undefined,
  r: ReconcileResult,
): ExperimentEvent[] {
  const out: ExperimentEvent[] = [];
  const s = r.status;
  if (prev === undefined)
    out.push({
      reason: "Started",
      message: `Experiment started with weights ${s.weightsSummary}.`,
    });
  for (const a of r.actions) {
    if (a.kind === "rollback")
      out.push({
        reason: "Rollback",
        type: "Warning",
        message: rollbackMessage(a.version),
      });
    if (a.kind === "stop-mirror")
      out.push({
        reason: "MirrorStopped",
        type: "Warning",
        message: mirrorStoppedMessage(s, a.version),
      });
    if (a.kind === "promote") out.push({ reason: "Promoting", message: `Promoting ${a.version}.` });
  }
  if (s.winner !== null && s.winner !== (prev?.winner ?? null))
    out.push({ reason: "WinnerFound", message: s.winnerReason });
  if (s.phase !== prev?.phase && s.phase === "RolledBack")
    out.push({ reason: "RolledBack", type: "Warning", message: s.message });
  if (s.phase !== prev?.phase && s.phase === "Completed")
    out.push({ reason: "Completed", message: s.message });
  return out;
}

export function decisionsOf(r: ReconcileResult, prev: ExperimentStatus | undefined): string[] {
  const out: string[] = r.actions.filter((a) => a.kind !== "set-weights").map((a) => a.kind);
  if (r.status.winner !== null && r.status.winner !== (prev?.winner ?? null)) out.push("winner");
  if (r.status.phase !== prev?.phase && TERMINAL.has(r.status.phase))
    out.push(r.status.phase === "Completed" ? "complete" : "rolled-back");
  return out;
}
