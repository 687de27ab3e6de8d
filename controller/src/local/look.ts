/**
 * One look of a local run: collect → reconcile (the pure core) → persist the step (the status with
 * its new weights, a stopped mirror, a promotion's intent) → push the config it calls for (the
 * weights and, once the dark version fails, a config without its mirror) → notify the chat. A look
 * that cannot read metrics, or whose weights the sidecar refuses, holds: the state records the
 * look and nothing else moves.
 */
import { describeError, isCohortError } from "../core/errors.js";
import type { ResolvedExperiment } from "../core/experiment/index.js";
import type { VersionObservation } from "../core/observations.js";
import type { PluginConfig } from "../core/plugin-config.js";
import { reconcile } from "../core/reconcile.js";
import { changesPluginConfig, mirrorStopped } from "../core/status.js";
import { promotionStarted } from "../kube/promotion-record.js";
import type { Notifier } from "../notify/index.js";
import { collectRequestFor, type MetricsProvider, NoDataError } from "../providers/index.js";
import type { DataPlane } from "./data-plane.js";
import { localPluginConfig } from "./local-plugin-config.js";
import { notifyStep } from "./notifications.js";
import { addObservations } from "./observations-add.js";
import { decisionLines, lookLines } from "./progress.js";
import type { Scheduler } from "./scheduler.js";
import { type LocalState, type LookRecord, writeState } from "./state-file.js";

export interface LookContext {
  experiment: ResolvedExperiment;
  provider: MetricsProvider;
  dataPlane: DataPlane;
  /** Counts of earlier sessions, added to what this session's sidecar reports. */
  carried: Record<string, VersionObservation>;
  statePath: string;
  scheduler: Scheduler;
  progress: (line: string) => void;
  /** Started / rollback / finished for the chat, queued once the step is stored. */
  notifier: Notifier;
}

function record(state: LocalState, now: Date, elapsedSeconds: number): LookRecord {
  const s = state.status;
  return {
    look: state.looks,
    iteration: s?.iteration ?? 0,
    elapsedSeconds,
    time: now.toISOString(),
    phase: s?.phase ?? "Pending",
    weights: s?.weights ?? {},
  };
}

async function hold(ctx: LookContext, state: LocalState, why: string, now: Date, elapsed: number) {
  const base = { ...state, looks: state.looks + 1 };
  const next: LocalState = {
    ...base,
    history: [...state.history, { ...record(base, now, elapsed), held: why }],
  };
  await writeState(ctx.statePath, next);
  for (const line of lookLines(next)) ctx.progress(line);
  return next;
}

export async function takeLook(ctx: LookContext, state: LocalState): Promise<LocalState> {
  const { experiment: exp, scheduler } = ctx;
  const now = scheduler.now();
  const elapsed = (now.getTime() - Date.parse(state.startTime)) / 1000;
  let versions: Record<string, VersionObservation>;
  try {
    const raw = await ctx.provider.collect(
      collectRequestFor(
        { name: exp.metadata.name, spec: exp.spec },
        // not aborted by an interrupt: a look once started is finished and persisted
        { elapsedSeconds: elapsed },
      ),
    );
    versions = addObservations(ctx.carried, raw.versions);
  } catch (e) {
    if (!isCohortError(e)) throw e;
    const why =
      e instanceof NoDataError ? describeError(e) : `metrics unavailable: ${describeError(e)}`;
    return hold(ctx, state, why, now, elapsed);
  }

  const result = reconcile(
    exp.spec,
    state.status ?? undefined,
    { elapsedSeconds: elapsed, versions },
    now,
  );
  // new weights or a stopped mirror: one push of the config the new status calls for
  let config: PluginConfig | undefined;
  try {
    if (result.actions.some(changesPluginConfig))
      config = localPluginConfig(
        exp.metadata.name,
        exp.spec,
        result.weights,
        state.assignment,
        mirrorStopped(result.status, exp.spec.traffic?.mirror?.version),
      );
  } catch (e) {
    if (!isCohortError(e)) throw e;
    return hold(ctx, state, `weights not applied: ${describeError(e)}`, now, elapsed);
  }
  const assignment = config === undefined ? state.assignment : config.experiments[0]?.assignment;
  const promote = result.actions.find((a) => a.kind === "promote");
  const base: LocalState = {
    ...state,
    looks: state.looks + 1,
    status: result.status,
    observed: versions,
    ...(assignment === undefined ? {} : { assignment }),
    ...(promote === undefined || promote.kind !== "promote"
      ? {}
      : { promotion: promotionStarted(promote.version, promote.id, now) }),
  };
  const requests = Object.fromEntries(Object.entries(versions).map(([v, o]) => [v, o.requests]));
  const look = { ...record(base, now, elapsed), versions: result.status.versions, requests };
  const next: LocalState = { ...base, history: [...state.history, look] };
  // Intent first: the step (its weights, a stopped mirror, a promotion's intent) is on disk before
  // the sidecar or the promoter is told. A run killed between this store and the push is healed
  // on resume, which pushes the stored weights before any load runs; so the weights history never
  // claims a ratio the sidecar did not serve, and a rolled-back version gets no traffic again.
  await writeState(ctx.statePath, next);
  if (config !== undefined) {
    try {
      await ctx.dataPlane.push(config);
    } catch (e) {
      if (!isCohortError(e)) throw e;
      // refused or unreachable: the stored step is replaced by a hold on the state before it, so
      // the next look computes the same step again and retries the push
      return hold(ctx, state, `weights not applied: ${describeError(e)}`, now, elapsed);
    }
  }
  // after the store and the push: a resumed run starts from this status, so it never sends these
  // again (at most once: a kill before this line loses them)
  notifyStep(ctx.notifier, exp, state.status ?? undefined, result, now);
  for (const line of lookLines(next)) ctx.progress(line);
  for (const line of decisionLines(result.actions, result.status.winnerReason)) ctx.progress(line);
  return next;
}
