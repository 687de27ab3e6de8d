/**
 * `cohort run` as a function: starts (or reaches) the sidecar and the load, takes a look every
 * interval until the experiment reaches a verdict or its look budget, promotes as the spec says,
 * and stops what it started. Resumes from the state file; see docs/local-mode.md.
 */
import { describeStoredStatus } from "../core/describe-status.js";
import type { ResolvedExperiment } from "../core/experiment/index.js";
import { LOAD_DEFAULTS } from "../core/experiment/local-schema.js";
import { type ExperimentStatus, mirrorStopped, type Phase } from "../core/status.js";
import { initialWeights } from "../core/weights-initial.js";
import { createLogger, type Logger } from "../log.js";
import { type Notifier, silentNotifier } from "../notify/index.js";
import type { Promoter } from "../promotion/index.js";
import { connectSidecar, type DataPlane, startOwnSidecar } from "./data-plane.js";
import { createLoadGenerator, type LoadGenerator } from "./load-generator.js";
import { localPluginConfig } from "./local-plugin-config.js";
import { takeLook } from "./look.js";
import { NOTIFY_WAIT_MS, settleNotifications } from "./notifications.js";
import { checkRunnable, loadOrCreateState, type PrepareOptions, providerFor } from "./prepare.js";
import { finishPromotion } from "./promotion-step.js";
import { type Scheduler, systemScheduler } from "./scheduler.js";
import type { LocalState } from "./state-file.js";
import { acquireStateLock } from "./state-lock.js";

export interface RunOptions extends PrepareOptions {
  experiment: ResolvedExperiment;
  promoter: Promoter;
  scheduler?: Scheduler;
  /** Progress lines for a person (no trailing newline). */
  progress?: (line: string) => void;
  /** The sidecar's logs; default: warnings and errors on stderr. */
  log?: Logger;
  signal?: AbortSignal;
  /** Chat notifications (started, rollback, finished); default none. The CLI passes `notifierFromEnv`. */
  notifier?: Notifier;
  /** How long the run waits at its end for undelivered notifications (real ms; default 10 000). */
  notifyWaitMs?: number;
}

/** Why the run stopped. */
export type RunEnd = "verdict" | "no-verdict" | "interrupted";

export interface RunResult {
  end: RunEnd;
  phase: Phase;
  winner: string | null;
  recommended: string | null;
  weights: Record<string, number>;
  /** The version whose promotion finished (now or in an earlier session); with kind none nothing changed. */
  promoted: string | null;
  status: ExperimentStatus | null;
  state: LocalState;
  /** The `describe` table of the final status. */
  summary: string;
}

const TERMINAL: ReadonlySet<Phase> = new Set(["Completed", "RolledBack", "Failed"]);

/** Looks a run takes at most: holds (no traffic, no data) count too, so a run always ends. */
export function lookBudget(maxIterations: number): number {
  return 2 * maxIterations;
}

function isDone(state: LocalState): boolean {
  return state.status !== null && TERMINAL.has(state.status.phase);
}

/** The spec's load generator, if it has one; a resumed run continues the users' stream. */
function startLoad(
  exp: ResolvedExperiment,
  url: string,
  scheduler: Scheduler,
  stream: number,
  progress: (line: string) => void,
): LoadGenerator | undefined {
  const load = exp.spec.load;
  if (load === undefined) return undefined;
  const key = exp.spec.traffic?.stickyKey?.find((k) => k.startsWith("header:"));
  const generator = createLoadGenerator({
    url,
    load,
    scheduler,
    stream,
    ...(key === undefined ? {} : { defaultUserHeader: key.slice("header:".length) }),
  });
  progress(`load: ${load.rate} req/s from ${load.users ?? LOAD_DEFAULTS.users} users`);
  return generator;
}

export async function runExperiment(opts: RunOptions): Promise<RunResult> {
  const exp = opts.experiment;
  const scheduler = opts.scheduler ?? systemScheduler;
  const progress = opts.progress ?? (() => {});
  const log = opts.log ?? createLogger({ component: "sidecar" }, { level: "warn" });
  // every check that needs no port comes first: a run that cannot go ahead starts nothing
  checkRunnable(exp, opts);
  const notifier = opts.notifier ?? silentNotifier;
  const lock = await acquireStateLock(opts.statePath);
  try {
    return await runLocked(opts, notifier, scheduler, progress, log);
  } finally {
    await lock.release();
    const waitMs = opts.notifyWaitMs ?? NOTIFY_WAIT_MS;
    if (!(await settleNotifications(notifier, waitMs)))
      progress(
        `webhook: notifications still undelivered after ${waitMs / 1000} s; not waiting longer`,
      );
  }
}

async function runLocked(
  opts: RunOptions,
  notifier: Notifier,
  scheduler: Scheduler,
  progress: (line: string) => void,
  log: Logger,
): Promise<RunResult> {
  const exp = opts.experiment;
  const name = exp.metadata.name;
  const aborted = () => opts.signal?.aborted === true;
  let { state, resumed } = await loadOrCreateState(exp, opts, scheduler.now());

  const weights =
    state.status !== null && Object.keys(state.status.weights).length > 0
      ? state.status.weights
      : initialWeights(exp.spec);
  const stopped = mirrorStopped(state.status ?? undefined, exp.spec.traffic?.mirror?.version);
  const config = localPluginConfig(name, exp.spec, weights, state.assignment, stopped);
  const dataPlane: DataPlane =
    opts.sidecarAdminUrl === undefined
      ? await startOwnSidecar(exp.spec, config, log)
      : await connectSidecar(opts.sidecarAdminUrl);
  let load: LoadGenerator | undefined;
  try {
    if (dataPlane.owned === false) await dataPlane.push(config);
    progress(
      `cohort run ${name}: sidecar ${dataPlane.proxyUrl} (admin ${dataPlane.adminUrl}), state ${opts.statePath}`,
    );
    if (resumed)
      progress(
        `resuming after look ${state.looks} (iteration ${state.status?.iteration ?? 0}, ${state.status?.phase ?? "Pending"})`,
      );
    const promo = {
      name,
      spec: exp.spec,
      promoter: opts.promoter,
      statePath: opts.statePath,
      scheduler,
      progress,
    };
    state = await finishPromotion(promo, state);

    const budget = lookBudget(exp.spec.duration.maxIterations);
    if (!isDone(state) && state.looks < budget)
      load = startLoad(exp, dataPlane.proxyUrl, scheduler, state.looks, progress);
    const lookContext = {
      experiment: exp,
      provider:
        opts.metricsProvider?.(dataPlane.statsUrl) ??
        providerFor(dataPlane.statsUrl, opts.prometheusUrl),
      dataPlane,
      // our own sidecar's counters restart with it: add what earlier sessions saw
      carried: dataPlane.owned ? state.observed : {},
      statePath: opts.statePath,
      scheduler,
      progress,
      notifier,
    };
    const intervalMs = exp.spec.duration.intervalSeconds * 1000;
    while (!isDone(state) && state.looks < budget && !aborted()) {
      if (load !== undefined) await load.runFor(intervalMs, opts.signal);
      else await scheduler.sleep(intervalMs, opts.signal);
      if (aborted()) break;
      state = await takeLook(lookContext, state);
      state = await finishPromotion(promo, state);
    }
  } finally {
    load?.close();
    await dataPlane.stop();
  }
  return resultOf(state, aborted());
}

function resultOf(state: LocalState, interrupted: boolean): RunResult {
  const s = state.status;
  const end: RunEnd =
    isDone(state) && s?.phase !== "Failed" ? "verdict" : interrupted ? "interrupted" : "no-verdict";
  return {
    end,
    phase: s?.phase ?? "Pending",
    winner: s?.winner ?? null,
    recommended: s?.recommended ?? null,
    weights: s?.weights ?? {},
    promoted: state.promotion?.state === "Promoted" ? state.promotion.version : null,
    status: s,
    state,
    summary: s === null ? "No look has been taken." : describeStoredStatus(s, "state"),
  };
}
