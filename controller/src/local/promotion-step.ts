/**
 * Promotion exactly once, across kills: the look that decides to promote first persists
 * `promotion: Promoting` with the status (the intent), then calls the promoter, then persists
 * `Promoted`. A run restarted in between finds `Promoting` and calls the promoter again with the
 * same id — promoters are idempotent by id, so the repeat is the same promotion.
 */
import { describeError } from "../core/errors.js";
import type { ExperimentSpec } from "../core/experiment/index.js";
import { promotionFailed, promotionFinished } from "../kube/promotion-record.js";
import type { Promoter } from "../promotion/index.js";
import { LocalRunError } from "./errors.js";
import type { Scheduler } from "./scheduler.js";
import { type LocalState, writeState } from "./state-file.js";

export interface PromotionContext {
  name: string;
  spec: ExperimentSpec;
  promoter: Promoter;
  statePath: string;
  scheduler: Scheduler;
  progress: (line: string) => void;
}

/** Finishes a promotion the state records as started; the state with `Promoted` (persisted). */
export async function finishPromotion(
  ctx: PromotionContext,
  state: LocalState,
): Promise<LocalState> {
  const p = state.promotion;
  if (p === null || p.state === "Promoted") return state;
  let message: string;
  try {
    const r = await ctx.promoter.promote({
      experiment: { name: ctx.name, spec: ctx.spec },
      version: p.version,
      id: `${ctx.name}/${p.actionId}`,
    });
    message = r.message;
  } catch (e) {
    const failed = { ...state, promotion: promotionFailed(p, describeError(e)) };
    await writeState(ctx.statePath, failed);
    throw new LocalRunError(
      `promotion of ${p.version} failed; the verdict is kept in ${ctx.statePath} and running the same command again retries it`,
      { cause: e },
    );
  }
  const done = { ...state, promotion: promotionFinished(p, ctx.scheduler.now()) };
  await writeState(ctx.statePath, done);
  ctx.progress(`  promotion: ${message}`);
  return done;
}
