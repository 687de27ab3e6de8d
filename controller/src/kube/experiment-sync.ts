/**
 * One sync of one experiment (Argo Rollouts' shape): read it, decide with the core's pure
 * `reconcile` when a look is due, persist the new status (a merge patch of what changed; nothing
 * when nothing did), then act — events, the WasmPlugin, the promotion — from what was persisted.
 *
 * Order matters for exactly-once: the status naming an action (`promote-v2` in `status.actions`,
 * `promotion.state: Promoting`) is stored before the action runs, so a restarted controller never
 * decides it again, and finishes what was started (see promotion-record.ts). A 409 on a write means
 * another writer got in between: the whole sync starts over from a fresh read.
 */
import { CohortError, describeError } from "../core/errors.js";
import { type ExperimentSpec, withDefaults } from "../core/experiment/index.js";
import { type ReconcileOptions, type ReconcileResult, reconcile } from "../core/reconcile.js";
import { changesPluginConfig, type ExperimentStatus, setCondition } from "../core/status.js";
import type { Logger } from "../log.js";
import { decisionNotifications, type Notifier } from "../notify/index.js";
import { collectRequestFor, isNoDataError, type MetricsProvider } from "../providers/index.js";
import type { Clock } from "./clock.js";
import type { ControllerMetrics } from "./controller-metrics.js";
import type { EventRecorder } from "./events.js";
import {
  coreStatusOf,
  type ExperimentObject,
  keyOf,
  type StoredStatus,
} from "./experiment-object.js";
import type { FilterCheck } from "./filter-check.js";
import type { KubeApi } from "./kube-api.js";
import { hasCode } from "./kube-errors.js";
import { mergePatchOf } from "./merge-patch.js";
import type { Promoter } from "./promoter.js";
import { promotionFailed, promotionFinished, promotionStarted } from "./promotion-record.js";
import { decisionEvents, decisionsOf } from "./sync-decisions.js";
import { failedOnSpec, specProblems, TERMINAL, zeroObservations } from "./sync-spec.js";

export interface SyncDeps {
  api: KubeApi;
  provider: MetricsProvider;
  promoter: Promoter;
  events: EventRecorder;
  metrics: ControllerMetrics;
  clock: Clock;
  log: Logger;
  /** Asked before every write: false once this replica is not the leader. */
  canWrite: () => boolean;
  reconcile?: ReconcileOptions;
  /** Told of starts, rollbacks and finishes; it queues and returns at once. */
  notifier?: Notifier;
  /** The real filter's check of the experiment's plugin config (filter-check.ts). */
  filterCheck?: FilterCheck;
}

export interface SyncResult {
  /** The experiment exists no more. */
  gone?: boolean;
  /** Sync again after this long (the next look, or a retry); undefined: only when it changes. */
  againInMs?: number;
  /** The weights in force changed (or were set for the first time): the WasmPlugin may need them. */
  weightsChanged?: boolean;
}

const MAX_CONFLICT_RETRIES = 5;

/**
 * The status to store after a step: the core's, with the generation it saw and the promotion
 * record (started here when the step promotes); or, for a hold, the old one with the reason.
 */
function nextStatus(
  stored: StoredStatus | undefined,
  generation: number | undefined,
  result: ReconcileResult | undefined,
  hold: string | undefined,
  now: Date,
): StoredStatus {
  if (result === undefined) {
    const next: StoredStatus = { ...(stored ?? {}), observedGeneration: generation };
    return hold === undefined
      ? next
      : { ...next, message: hold, lastUpdateTime: now.toISOString() };
  }
  const next: StoredStatus = { ...result.status, observedGeneration: generation };
  if (stored?.promotion !== undefined) next.promotion = stored.promotion;
  const promote = result.actions.find((a) => a.kind === "promote");
  if (promote?.kind === "promote")
    next.promotion = promotionStarted(promote.version, promote.id, now);
  return next;
}

export class ExperimentSync {
  constructor(private readonly d: SyncDeps) {}

  /** Syncs `namespace/name`, starting over from a fresh read on a 409 (up to 5 times). */
  async sync(namespace: string, name: string): Promise<SyncResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(namespace, name);
      } catch (e) {
        if (!hasCode(e, 409) || attempt >= MAX_CONFLICT_RETRIES) throw e;
        this.d.log.info("conflict writing the experiment; re-reading", {
          experiment: `${namespace}/${name}`,
          attempt,
        });
      }
    }
  }

  /** Writes what changed between the stored status and `next`; returns the stored object. */
  private async persist(o: ExperimentObject, next: StoredStatus): Promise<ExperimentObject> {
    const patch = mergePatchOf(o.status ?? {}, next);
    if (patch === undefined) return o;
    if (!this.d.canWrite()) throw new NotLeaderError();
    return this.d.api.patchExperimentStatus(o, patch);
  }

  private async once(namespace: string, name: string): Promise<SyncResult> {
    const d = this.d;
    const read = await d.api.getExperiment(namespace, name);
    if (read === undefined || read.metadata.deletionTimestamp !== undefined) return { gone: true };
    if (!d.canWrite()) return {};
    let o = read;
    const key = keyOf(o);
    const now = d.clock.now();
    const generation = o.metadata.generation;
    const problems = specProblems(o, d.filterCheck);
    let stored = o.status;
    // a spec fixed after it failed validation starts the experiment afresh
    if (failedOnSpec(stored) && stored?.observedGeneration !== generation && problems.length === 0)
      stored = undefined;
    const core = coreStatusOf(stored);

    if (problems.length > 0) return this.invalid(o, problems, now);

    const spec = o.spec as ExperimentSpec;
    const intervalMs = withDefaults(spec).duration.intervalSeconds * 1000;
    const { result, hold, again } = await this.decide(o, spec, core, now);
    o = await this.persist(o, nextStatus(stored, generation, result, hold, now));

    if (result !== undefined) await this.report(o, core, result);
    d.metrics.setPhase(key, o.status?.phase);
    if (o.status?.weights !== undefined) d.metrics.setWeights(namespace, name, o.status.weights);

    const promoted = await this.promote(o, now);
    const weightsChanged =
      result !== undefined && (core === undefined || result.actions.some(changesPluginConfig));
    const againInMs = promoted.retry
      ? intervalMs
      : TERMINAL.has(o.status?.phase ?? "")
        ? undefined
        : again;
    return { ...(againInMs === undefined ? {} : { againInMs }), weightsChanged };
  }

  /**
   * The step when it is due: the first one (initial weights, no metrics), or a look with fresh
   * observations; `hold` when the metrics source has nothing to give. `again`: when to sync next.
   */
  private async decide(
    o: ExperimentObject,
    spec: ExperimentSpec,
    core: ExperimentStatus | undefined,
    now: Date,
  ): Promise<{ result?: ReconcileResult; hold?: string; again?: number }> {
    const d = this.d;
    const intervalMs = withDefaults(spec).duration.intervalSeconds * 1000;
    if (core === undefined)
      return {
        result: reconcile(spec, undefined, zeroObservations(spec), now, d.reconcile),
        again: intervalMs,
      };
    if (TERMINAL.has(core.phase)) return {};
    const due = Date.parse(core.lastUpdateTime) + intervalMs;
    if (now.getTime() < due) return { again: due - now.getTime() };
    try {
      const elapsedSeconds = (now.getTime() - Date.parse(core.startTime)) / 1000;
      const obs = await d.provider.collect(
        collectRequestFor({ name: o.metadata.name, spec }, { elapsedSeconds, at: now }),
      );
      return { result: reconcile(spec, core, obs, now, d.reconcile), again: intervalMs };
    } catch (e) {
      const hold = isNoDataError(e)
        ? `Holding: ${describeError(e)}`
        : `Holding: metrics unavailable: ${describeError(e)}`;
      if (!isNoDataError(e) && core.message !== hold)
        await d.events.record(o, { reason: "MetricsUnavailable", type: "Warning", message: hold });
      return { hold, again: intervalMs };
    }
  }

  /** Events, notifications, metrics and a log line for a step that was persisted. */
  private async report(
    o: ExperimentObject,
    core: ExperimentStatus | undefined,
    result: ReconcileResult,
  ): Promise<void> {
    const { namespace, name } = o.metadata;
    for (const e of decisionEvents(core, result)) await this.d.events.record(o, e);
    for (const n of decisionNotifications({ name, namespace }, core, result, this.d.clock.now()))
      this.d.notifier?.notify(n);
    const gained = result.status.iteration - (core?.iteration ?? 0);
    if (gained > 0) this.d.metrics.iterations.inc({ namespace, experiment: name }, gained);
    for (const decision of decisionsOf(result, core))
      this.d.metrics.decisions.inc({ namespace, experiment: name, decision });
    this.d.log.info("look analysed", {
      experiment: keyOf(o),
      phase: result.status.phase,
      iteration: result.status.iteration,
      weights: result.status.weightsSummary,
      actions: result.actions.map((a) => a.id),
    });
  }

  /** Carries out a promotion recorded as started, then records it finished (or the failure). */
  private async promote(o: ExperimentObject, now: Date): Promise<{ retry: boolean }> {
    const p = o.status?.promotion;
    if (p === undefined || p.state !== "Promoting" || o.spec === undefined) return { retry: false };
    const { namespace, name } = o.metadata;
    if (!this.d.canWrite()) return { retry: false };
    try {
      await this.d.promoter.promote({ name, namespace, spec: o.spec }, p.version);
    } catch (e) {
      const failed = promotionFailed(p, describeError(e));
      const saved = await this.persist(o, { ...o.status, promotion: failed });
      await this.d.events.record(saved, {
        reason: "PromotionFailed",
        type: "Warning",
        message: failed.message,
      });
      this.d.log.warn("promotion failed", {
        experiment: `${namespace}/${name}`,
        error: failed.message,
      });
      return { retry: true };
    }
    const saved = await this.persist(o, { ...o.status, promotion: promotionFinished(p, now) });
    await this.d.events.record(saved, { reason: "Promoted", message: `${p.version} is promoted.` });
    this.d.metrics.decisions.inc({ namespace, experiment: name, decision: "promoted" });
    this.d.log.info("promoted", { experiment: `${namespace}/${name}`, version: p.version });
    return { retry: false };
  }

  /** An invalid spec: a Failed status naming the problems, reported once per generation. */
  private async invalid(o: ExperimentObject, problems: string[], now: Date): Promise<SyncResult> {
    const stored = o.status;
    const generation = o.metadata.generation;
    const message = `invalid spec: ${problems.join("; ")}`;
    if (TERMINAL.has(stored?.phase ?? "") && !failedOnSpec(stored)) return {};
    const next: StoredStatus = {
      ...(stored ?? {}),
      phase: "Failed",
      message,
      lastUpdateTime:
        stored?.observedGeneration === generation ? stored?.lastUpdateTime : now.toISOString(),
      observedGeneration: generation,
      conditions: setCondition(
        stored?.conditions ?? [],
        { type: "SpecValid", status: "False", reason: "InvalidSpec", message },
        now,
      ),
    };
    const saved = await this.persist(o, next);
    if (saved !== o) {
      await this.d.events.record(saved, { reason: "InvalidSpec", type: "Warning", message });
      this.d.metrics.decisions.inc({
        namespace: o.metadata.namespace,
        experiment: o.metadata.name,
        decision: "fail",
      });
      this.d.log.warn("invalid spec", { experiment: keyOf(o), message });
    }
    this.d.metrics.setPhase(keyOf(o), "Failed");
    return { weightsChanged: saved !== o };
  }
}

/** This replica lost the Lease mid-sync: it stops before writing. */
export class NotLeaderError extends CohortError {
  override readonly name = "NotLeaderError";
  constructor() {
    super("not the leader any more; the write is left to the new leader");
  }
}
