/**
 * The two-phase record of a promotion in `status.promotion`, so it runs exactly once in effect:
 *
 * 1. the step that decides to promote persists its status with the `promote-<v>` action (the core
 *    never emits it again) and `promotion: { state: "Promoting" }` — before anything is done;
 * 2. the controller calls the {@link Promoter}; then persists `state: "Promoted"`.
 *
 * If the process dies between 1 and 2, the next leader finds "Promoting" and calls the promoter
 * again: an idempotent promotion repeated is the same promotion. It never finds "Promoted" for a
 * promotion that did not finish. A failed attempt stays "Promoting" with the error in `message`
 * and `attempts` counted; it is retried every interval.
 */
export type PromotionState = "Promoting" | "Promoted";

export interface PromotionRecord {
  version: string;
  state: PromotionState;
  /** The action's id in `status.actions` (`promote-v2`). */
  actionId: string;
  startTime: string;
  finishTime?: string;
  /** Attempts that failed so far. */
  attempts: number;
  message: string;
}

export function promotionStarted(version: string, actionId: string, now: Date): PromotionRecord {
  return {
    version,
    state: "Promoting",
    actionId,
    startTime: now.toISOString(),
    attempts: 0,
    message: `Promoting ${version}.`,
  };
}

export function promotionFinished(p: PromotionRecord, now: Date): PromotionRecord {
  return {
    ...p,
    state: "Promoted",
    finishTime: now.toISOString(),
    message: `${p.version} is promoted.`,
  };
}

export function promotionFailed(p: PromotionRecord, error: string): PromotionRecord {
  return {
    ...p,
    attempts: p.attempts + 1,
    message: `promotion of ${p.version} failed (attempt ${p.attempts + 1}): ${error}`,
  };
}
