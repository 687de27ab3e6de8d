/**
 * Chat notifications of a local run: the same started / rollback / finished as `cohort controller`
 * (notify/decision-notifications.ts), sent after the look that caused them is stored, and a wait
 * for their delivery that a silent webhook cannot stretch.
 */
import type { ResolvedExperiment } from "../core/experiment/index.js";
import type { ReconcileResult } from "../core/reconcile.js";
import type { ExperimentStatus } from "../core/status.js";
import { decisionNotifications, type Notifier } from "../notify/index.js";
import { systemScheduler } from "./scheduler.js";

/** How long a run waits for undelivered notifications before it exits (real time). */
export const NOTIFY_WAIT_MS = 10_000;

/** Queues the notifications a stored step calls for; returns at once. */
export function notifyStep(
  notifier: Notifier,
  exp: ResolvedExperiment,
  prev: ExperimentStatus | undefined,
  result: ReconcileResult,
  at: Date,
): void {
  const { name, namespace } = exp.metadata;
  // an experiment file's namespace is optional; the chat message then names the experiment alone
  for (const n of decisionNotifications({ name, namespace: namespace ?? "" }, prev, result, at))
    notifier.notify(namespace === undefined ? { ...n, experiment: { name } } : n);
}

/**
 * Resolves true once every queued notification was delivered or given up, false when `ms` of real
 * time passed first (deliveries are real I/O, so a virtual clock does not apply).
 */
export async function settleNotifications(notifier: Notifier, ms: number): Promise<boolean> {
  const done = new AbortController();
  const settled = await Promise.race([
    notifier.idle().then(() => true),
    systemScheduler.sleep(ms, done.signal).then(() => false),
  ]);
  done.abort();
  return settled;
}
