/**
 * The controller's step as a pure function: `(spec, status, observations, now) → (status, weights,
 * actions)`. The adapters read observations, call this, then carry out the actions and persist the
 * status. Both modes persist the intent, then act (actions are idempotent by id):
 *
 * - the stored status (weights, `status.actions`, the mirror stop) is the decision; local mode
 *   pushes the weights after storing them and, on resume, pushes the stored weights before any
 *   load runs, so a crash between store and push is healed and the weights history is never wrong;
 * - in Kubernetes mode, and for every promotion, the stored
 *   `status.actions` and a two-phase `promotion` record (`Promoting` → `Promoted`,
 *   controller/src/kube/promotion-record.ts) make the decision final before anything runs, so a
 *   restart or another replica never decides it again and finishes what the record says was
 *   started; a status write that loses a conflict has acted on nothing. Side effects that are
 *   derived from the stored status (the WasmPlugin's config) converge on the next sync.
 *
 * - A look is new when its `elapsedSeconds` is past the last one analysed; a stale or repeated
 *   look returns the status unchanged and no actions, so the same observations twice never act
 *   twice. Terminal phases (Completed, RolledBack, Failed) never act again.
 * - `rollback`, `stop-mirror` (the dark version fails an objective) and `promote` are recorded in
 *   `status.actions` with ids and emitted at most once per version; `set-weights` only when the
 *   weights change.
 * - The experiment completes when there is a winner and the weights have reached it, or at
 *   maxIterations (then the recommended version — the winner, else the baseline — is promoted and
 *   takes all traffic). It is rolled back when every candidate fails an objective.
 * - The weights depend only on the spec, the stored status and the observations, so a restarted
 *   controller computes the same weights as one that never stopped.
 */
import { analyze, DEFAULT_SEED } from "./analysis.js";
import { reviveIntervals, toJsonValue } from "./analysis-json.js";
import type { Analysis } from "./analysis-types.js";
import { describeError, isCohortError } from "./errors.js";
import { validateExperiment, versionsOf, withDefaults } from "./experiment/index.js";
import type { ExperimentSpec } from "./experiment/schema.js";
import type { Observations } from "./observations.js";
import { nextPhase, type Step } from "./reconcile-phase.js";
import { createRng } from "./stats/index.js";
import {
  type Action,
  type ExperimentStatus,
  type Phase,
  type RecordedAction,
  setCondition,
  summariseWeights,
} from "./status.js";
import { stepConditions } from "./status-conditions.js";
import { initialWeights } from "./weights-initial.js";

export interface ReconcileOptions {
  /**
   * The seed recorded in a new status (`rngSeed`, `rngState`); default: a hash of the target. The
   * weights no longer sample (equal shares in the race, weights-race.ts), so the state stays put.
   */
  seed?: number;
}

export interface ReconcileResult {
  status: ExperimentStatus;
  /** The weights that should be in force after this step. */
  weights: Record<string, number>;
  /** What to do now, in order; empty when nothing changed. */
  actions: RecordedAction[];
}

/** FNV-1a of the text: a stable default seed per experiment. */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h || DEFAULT_SEED;
}

const TERMINAL: ReadonlySet<Phase> = new Set(["Completed", "RolledBack", "Failed"]);

function unchanged(status: ExperimentStatus): ReconcileResult {
  return { status, weights: status.weights, actions: [] };
}

function sameWeights(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
}

function invalid(
  spec: ExperimentSpec,
  status: ExperimentStatus | undefined,
  problems: string[],
  now: Date,
): ReconcileResult {
  const message = `invalid spec: ${problems.join("; ")}`;
  const time = now.toISOString();
  const base: ExperimentStatus = status ?? {
    ...emptyStatus(spec, now, 0),
    weights: {},
    weightsSummary: "",
  };
  const next: ExperimentStatus = {
    ...base,
    phase: "Failed",
    lastUpdateTime: time,
    message,
    conditions: setCondition(
      base.conditions,
      { type: "SpecValid", status: "False", reason: "InvalidSpec", message },
      now,
    ),
  };
  return { status: next, weights: next.weights, actions: [] };
}

function emptyStatus(spec: ExperimentSpec, now: Date, seed: number): ExperimentStatus {
  const time = now.toISOString();
  const baseline = spec.baseline?.name ?? "";
  return {
    phase: "Pending",
    iteration: 0,
    observedElapsedSeconds: -1,
    startTime: time,
    lastUpdateTime: time,
    alpha: 0,
    statements: 0,
    alphaPerStatement: 0,
    versions: {},
    comparisons: [],
    winner: null,
    recommended: baseline,
    winnerReason: "No look has been taken yet.",
    weights: {},
    weightsSummary: "",
    weightsHistory: [],
    conditions: [],
    actions: [],
    rngSeed: seed,
    rngState: createRng(seed).state(),
    message: "",
  };
}

/** The status unchanged but for the message: this look could not be analysed. */
function held(
  prev: ExperimentStatus,
  weights: Record<string, number>,
  message: string,
  now: Date,
): ReconcileResult {
  const status: ExperimentStatus = {
    ...prev,
    weights,
    weightsSummary: summariseWeights(weights),
    lastUpdateTime: now.toISOString(),
    message,
  };
  return { status, weights, actions: [] };
}

export function reconcile(
  spec: ExperimentSpec,
  status: ExperimentStatus | undefined,
  observations: Observations,
  now: Date,
  options: ReconcileOptions = {},
): ReconcileResult {
  if (status !== undefined && TERMINAL.has(status.phase)) return unchanged(status);
  const problems = validateExperiment({
    apiVersion: "cohort.dev/v1alpha1",
    kind: "Experiment",
    metadata: { name: "experiment" },
    spec,
  });
  if (problems.length > 0)
    return invalid(
      spec,
      status,
      problems.map((p) => `${p.path}: ${p.message}`),
      now,
    );
  if (status !== undefined && observations.elapsedSeconds <= status.observedElapsedSeconds)
    return unchanged(status);

  const r = withDefaults(spec);
  const names = versionsOf(r).map((v) => v.name);
  const time = now.toISOString();
  const prev = status ?? {
    ...emptyStatus(r, now, options.seed ?? seedOf(`${r.target}/${names.join(",")}`)),
  };
  const previousWeights = status === undefined ? initialWeights(r) : prev.weights;
  const hasTraffic = names.some((v) => (observations.versions[v]?.requests ?? 0) > 0);
  const iteration = hasTraffic ? prev.iteration + 1 : prev.iteration;
  const final = iteration >= r.duration.maxIterations;
  let analysis: Analysis;
  try {
    analysis = analyze(r, observations, {
      iteration: Math.max(1, iteration),
      final,
      previousWeights,
      allocations: [initialWeights(r), ...prev.weightsHistory.map((h) => h.weights)],
      ...(status === undefined ? {} : { previous: reviveIntervals(status) }),
    });
  } catch (e) {
    // bad observations (e.g. more errors than requests) hold the experiment: nothing moves
    if (!isCohortError(e)) throw e;
    return held(prev, previousWeights, `observations rejected: ${describeError(e)}`, now);
  }

  const { phase, weights, promote, why }: Step = hasTraffic
    ? nextPhase(r, analysis, final)
    : {
        phase: "Pending",
        weights: previousWeights,
        promote: null,
        why: "Waiting for traffic: no version has served a request yet.",
      };

  const done = new Set(prev.actions.map((a) => a.id));
  const actions: RecordedAction[] = [];
  const emit = (id: string, action: Action) => {
    if (done.has(id)) return;
    done.add(id);
    actions.push({ ...action, id, iteration, time });
  };
  if (hasTraffic)
    for (const v of names)
      if (v !== r.baseline.name && analysis.versions[v]?.validated === false)
        emit(`rollback-${v}`, { kind: "rollback", version: v });
  // the dark version loses its mirrored traffic at once, like a candidate its split weight
  const dark = r.traffic?.mirror?.version;
  if (dark !== undefined && analysis.versions[dark]?.validated === false)
    emit(`stop-mirror-${dark}`, { kind: "stop-mirror", version: dark });
  if (status === undefined || !sameWeights(weights, prev.weights))
    emit(`set-weights-${iteration}`, { kind: "set-weights", weights });
  if (promote !== null) emit(`promote-${promote}`, { kind: "promote", version: promote });

  const decisions = hasTraffic
    ? analysis
    : {
        ...analysis,
        winner: null,
        recommended: r.baseline.name,
        winnerReason: "No winner yet: no traffic.",
      };
  const next: ExperimentStatus = {
    ...prev,
    phase,
    iteration,
    observedElapsedSeconds: observations.elapsedSeconds,
    lastUpdateTime: time,
    alpha: analysis.alpha,
    statements: analysis.statements,
    alphaPerStatement: analysis.alphaPerStatement,
    versions: analysis.versions,
    comparisons: analysis.comparisons,
    winner: decisions.winner,
    recommended: decisions.recommended,
    winnerReason: decisions.winnerReason,
    weights,
    weightsSummary: summariseWeights(weights),
    weightsHistory:
      hasTraffic || status === undefined
        ? [...prev.weightsHistory, { iteration, time, weights }]
        : prev.weightsHistory,
    conditions: stepConditions(
      prev.conditions,
      { ...analysis, ...decisions, weights },
      phase,
      why,
      now,
    ),
    actions: [...prev.actions, ...actions],
    message: why,
  };
  return { status: toJsonValue(next) as ExperimentStatus, weights, actions };
}
