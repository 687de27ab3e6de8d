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
import {
  type ExperimentSpec,
  validateExperiment,
  versionsOf,
  withDefaults,
} from "../core/experiment/index.js";
import type { Observations } from "../core/observations.js";
import { buildPluginConfig } from "../core/plugin-config.js";
import { type ReconcileOptions, type ReconcileResult, reconcile } from "../core/reconcile.js";
import { type ExperimentStatus, setCondition } from "../core/status.js";
import type { Logger } from "../log.js";
import { collectRequestFor, isNoDataError, type MetricsProvider } from "../providers/index.js";
import type { Clock } from "./clock.js";
import type { ControllerMetrics } from "./controller-metrics.js";
import type { EventRecorder, ExperimentEvent } from "./events.js";
import {
  coreStatusOf,
  type ExperimentObject,
  keyOf,
  type StoredStatus,
} from "./experiment-object.js";
import type { KubeApi } from "./kube-api.js";
import { hasCode } from "./kube-errors.js";
import { mergePatchOf } from "./merge-patch.js";
import type { Promoter } from "./promoter.js";
import { promotionFailed, promotionFinished, promotionStarted } from "./promotion-record.js";

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
}

export interface SyncResult {
  /** The experiment exists no more. */
  gone?: boolean;
  /** Sync again after this long (the next look, or a retry); undefined: only when it changes. */
  againInMs?: number;
  /** The weights in force changed (or were set for the first time): the WasmPlugin may need them. */
  weightsChanged?: boolean;
}

const TERMINAL = new Set(["Completed", "RolledBack", "Failed"]);
const MAX_CONFLICT_RETRIES = 5;

/** No traffic yet: the first step sets the initial weights without asking any metrics source. */
function zeroObservations(spec: ExperimentSpec): Observations {
  return {
    elapsedSeconds: 0,
    versions: Object.fromEntries(versionsOf(spec).map((v) => [v.name, { requests: 0, errors: 0 }])),
  };
}

/** Problems with the spec: the schema and rules, then whether the filter could take it. */
function specProblems(o: ExperimentObject): string[] {
  const problems = validateExperiment({
    apiVersion: "cohort.dev/v1alpha1",
    kind: "Experiment",
    metadata: { name: o.metadata.name },
    spec: o.spec,
  }).map((p) => `${p.path}: ${p.message}`);
  if (problems.length > 0 || o.spec === undefined) return problems;
  try {
    const spec = o.spec;
    const weights = Object.fromEntries(versionsOf(spec).map((v) => [v.name, 1]));
    buildPluginConfig([{ name: o.metadata.name, namespace: o.metadata.namespace, spec, weights }]);
  } catch (e) {
    return [describeError(e)];
  }
  return [];
}

function failedOnSpec(s: StoredStatus | undefined): boolean {
  return (
    s?.phase === "Failed" &&
    (s.conditions ?? []).some((c) => c.type === "SpecValid" && c.status === "False")
  );
}

/** The events a step's decisions call for, from the status before and after. */
function decisionEvents(prev: ExperimentStatus | undefined, r: ReconcileResult): ExperimentEvent[] {
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
        message: `${a.version} is rolled back: it fails an objective.`,
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

function decisionsOf(r: ReconcileResult, prev: ExperimentStatus | undefined): string[] {
  const out: string[] = r.actions.filter((a) => a.kind !== "set-weights").map((a) => a.kind);
  if (r.status.winner !== null && r.status.winner !== (prev?.winner ?? null)) out.push("winner");
  if (r.status.phase !== prev?.phase && TERMINAL.has(r.status.phase))
    out.push(r.status.phase === "Completed" ? "complete" : "rolled-back");
  return out;
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
    const problems = specProblems(o);
    let stored = o.status;
    // a spec fixed after it failed validation starts the experiment afresh
    if (failedOnSpec(stored) && stored?.observedGeneration !== generation && problems.length === 0)
      stored = undefined;
    const core = coreStatusOf(stored);

    if (problems.length > 0) return this.invalid(o, problems, now);

    const spec = o.spec as ExperimentSpec;
    const intervalMs = withDefaults(spec).duration.intervalSeconds * 1000;
    let result: ReconcileResult | undefined;
    let again: number | undefined;
    let hold: string | undefined;
    if (core === undefined) {
      result = reconcile(spec, undefined, zeroObservations(spec), now, d.reconcile);
      again = intervalMs;
    } else if (!TERMINAL.has(core.phase)) {
      const due = Date.parse(core.lastUpdateTime) + intervalMs;
      if (now.getTime() < due) {
        again = due - now.getTime();
      } else {
        again = intervalMs;
        try {
          const elapsedSeconds = (now.getTime() - Date.parse(core.startTime)) / 1000;
          const obs = await d.provider.collect(
            collectRequestFor({ name, spec }, { elapsedSeconds, at: now }),
          );
          result = reconcile(spec, core, obs, now, d.reconcile);
        } catch (e) {
          hold = isNoDataError(e)
            ? `Holding: ${describeError(e)}`
            : `Holding: metrics unavailable: ${describeError(e)}`;
          if (!isNoDataError(e) && core.message !== hold)
            await d.events.record(o, {
              reason: "MetricsUnavailable",
              type: "Warning",
              message: hold,
            });
        }
      }
    }

    let next: StoredStatus = { ...(stored ?? {}), observedGeneration: generation };
    if (result !== undefined) {
      next = { ...result.status, observedGeneration: generation };
      if (stored?.promotion !== undefined) next.promotion = stored.promotion;
      const promote = result.actions.find((a) => a.kind === "promote");
      if (promote?.kind === "promote")
        next.promotion = promotionStarted(promote.version, promote.id, now);
    } else if (hold !== undefined) {
      next = { ...next, message: hold, lastUpdateTime: now.toISOString() };
    }
    o = await this.persist(o, next);

    if (result !== undefined) {
      for (const e of decisionEvents(core, result)) await d.events.record(o, e);
      const gained = result.status.iteration - (core?.iteration ?? 0);
      if (gained > 0) d.metrics.iterations.inc({ namespace, experiment: name }, gained);
      for (const decision of decisionsOf(result, core))
        d.metrics.decisions.inc({ namespace, experiment: name, decision });
      d.log.info("look analysed", {
        experiment: key,
        phase: result.status.phase,
        iteration: result.status.iteration,
        weights: result.status.weightsSummary,
        actions: result.actions.map((a) => a.id),
      });
    }
    d.metrics.setPhase(key, o.status?.phase);
    if (o.status?.weights !== undefined) d.metrics.setWeights(namespace, name, o.status.weights);

    const promoted = await this.promote(o, now);
    if (promoted.retry) again = intervalMs;
    const weightsChanged =
      result !== undefined &&
      (core === undefined || result.actions.some((a) => a.kind === "set-weights"));
    return {
      ...(again === undefined || TERMINAL.has(o.status?.phase ?? "") ? {} : { againInMs: again }),
      ...(promoted.retry ? { againInMs: intervalMs } : {}),
      weightsChanged,
    };
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
