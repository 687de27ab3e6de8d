/**
 * The chat notifications a step's decisions call for: started, rollback (per version), mirror
 * stopped (the dark version), finished.
 * For any adapter (`cohort controller`, `cohort run`): call it with the status the step started
 * from and the step's result, and notify what it returns once the new status is stored.
 *
 * Once each per experiment, across restarts, without storing anything more: they are derived, like
 * the Events, from the difference between the status a step started from and the one it stored,
 * and sent only after that status is stored. A restarted controller starts from the stored status,
 * so it never sees the same transition again — the first step (no status yet) is taken once, a
 * rollback is the `rollback-<v>` action and a stopped mirror the `stop-mirror-<v>` action, which
 * the core never emits twice (they are in `status.actions`), and a terminal phase is entered once.
 * A crash between the store and the send can lose a notification, never repeat one.
 */
import type { ReconcileResult } from "../core/reconcile.js";
import type { ExperimentStatus } from "../core/status.js";
import { mirrorStoppedMessage, rollbackMessage } from "./decision-messages.js";
import type { Notification } from "./notification.js";

export function decisionNotifications(
  experiment: { name: string; namespace: string },
  prev: ExperimentStatus | undefined,
  r: ReconcileResult,
  at: Date,
): Notification[] {
  const s = r.status;
  const out: Notification[] = [];
  if (prev === undefined)
    out.push({
      kind: "started",
      experiment,
      message: `Started with weights ${s.weightsSummary}.`,
      at,
    });
  for (const a of r.actions) {
    if (a.kind === "rollback")
      out.push({
        kind: "rollback",
        experiment,
        version: a.version,
        message: rollbackMessage(a.version),
        at,
      });
    if (a.kind === "stop-mirror")
      out.push({
        kind: "mirror-stopped",
        experiment,
        version: a.version,
        message: mirrorStoppedMessage(s, a.version),
        at,
      });
  }
  if (s.phase !== prev?.phase && (s.phase === "Completed" || s.phase === "RolledBack"))
    out.push({
      kind: "finished",
      experiment,
      ...(s.winner === null ? {} : { version: s.winner }),
      message: `${s.phase}: ${s.message}`,
      at,
    });
  return out;
}
