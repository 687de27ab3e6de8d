/**
 * One analysis step (pure): assess every objective of every version, the reward and its pairwise
 * differences, pick the winner by the seed rules and compute the next weights. `cohort analyze`
 * prints it; {@link reconcile} stores it in the status.
 *
 * The dark version (`spec.traffic.mirror.version`) is assessed against every objective from the
 * mirrored copies it answered, like any other version, but it has no reward (its responses never
 * reach users), is never compared, never wins and never gets split weight.
 */

import { ObservationsError } from "./analysis-observations.js";
import type { Analysis, Decisions } from "./analysis-types.js";
import { fixedAllocation } from "./assess-allocation.js";
import { splitAlpha } from "./assess-alpha.js";
import { leansToFail } from "./assess-lean.js";
import { assessObjective, combineVerdicts } from "./assess-objective.js";
import { openEpochsFromStart, type RewardCounts } from "./assess-pool.js";
import { assessReward, compareRewards, startPoolingEpochs } from "./assess-reward.js";
import type { RewardComparison, VersionAssessment } from "./assess-types.js";
import { CohortError } from "./errors.js";
import {
  type ExperimentSpec,
  metricKind,
  type ResolvedMetric,
  resolveMetric,
  versionsOf,
  withDefaults,
} from "./experiment/index.js";
import type { Observations } from "./observations.js";
import type { Rng } from "./stats/index.js";
import { nextWeights } from "./weights.js";
import { weightsProblems } from "./weights-check.js";
import { initialWeights } from "./weights-initial.js";
import { contenders } from "./weights-race.js";
import { decideWinner } from "./winner.js";

/** The seed recorded in a new status when a target's hash is 0 (reconcile.ts `seedOf`). */
export const DEFAULT_SEED = 1;

export interface AnalyzeOptions {
  /** The look (1 = first); default: elapsedSeconds / intervalSeconds, at least 1. */
  iteration?: number;
  /** The last look; default: iteration ≥ maxIterations. */
  final?: boolean;
  /** The weights in force; default: observations.currentWeights, else the initial weights. */
  previousWeights?: Record<string, number>;
  /**
   * @deprecated The weights no longer sample (A/B and A/B/n split equally among the versions in
   * the race, weights-race.ts); accepted and ignored so existing callers keep compiling.
   */
  rng?: Rng;
  /**
   * The weights in force during each interval so far, oldest first (reconcile passes the initial
   * weights and the weights history). Default: the initial weights, then `previousWeights`. Decides
   * whether a pair's allocation has been fixed (assess-allocation.ts).
   */
  allocations?: Record<string, number>[];
  /**
   * The decisions of the previous look (a stored status): when made at the same α, each interval
   * is intersected with its predecessor (assess-intersect.ts), so verdicts do not flicker.
   */
  previous?: Decisions;
}

/** The spec names a metric that is neither builtin nor defined (validation catches this first). */
export class UnknownMetricError extends CohortError {
  override readonly name = "UnknownMetricError";
  constructor(readonly metric: string) {
    super(`unknown metric ${metric}: it is neither builtin nor defined in spec.metrics`);
  }
}

function resolve(spec: ExperimentSpec, name: string): ResolvedMetric {
  const m = resolveMetric(spec, name);
  if (m === undefined) throw new UnknownMetricError(name);
  return m;
}

export function analyze(
  spec: ExperimentSpec,
  observations: Observations,
  options: AnalyzeOptions = {},
): Analysis {
  const r = withDefaults(spec);
  const names = versionsOf(r).map((v) => v.name);
  const baseline = r.baseline.name;
  const dark = r.traffic?.mirror?.version;
  const assessed = dark === undefined ? names : [...names, dark];
  const split = splitAlpha(r);
  const iteration =
    options.iteration ??
    Math.max(1, Math.floor(observations.elapsedSeconds / r.duration.intervalSeconds));
  const final = options.final ?? iteration >= r.duration.maxIterations;
  const obs = observations.versions;
  const adaptive = r.deploymentPattern === "Progressive";
  const epochs = adaptive && (r.testingPattern === "AB" || r.testingPattern === "ABN");

  const previous =
    options.previous?.alphaPerStatement === split.alphaPerStatement ? options.previous : undefined;
  if (options.previousWeights === undefined && observations.currentWeights !== undefined) {
    // the weights in force come from the metrics source: never rescale them silently
    const problems = weightsProblems(observations.currentWeights, assessed, "currentWeights");
    if (problems.length > 0) throw new ObservationsError(problems);
  }
  const previousWeights =
    options.previousWeights ?? observations.currentWeights ?? initialWeights(r);
  const reward = r.criteria.reward;
  const rewardMetric = reward === undefined ? undefined : resolve(r, reward.metric);
  const versions: Record<string, VersionAssessment> = {};
  for (const v of assessed) {
    const objectives = r.criteria.objectives.map((o, i) => {
      const before = previous?.versions[v]?.objectives[i];
      const same =
        before !== undefined &&
        before.metric === o.metric &&
        before.upperLimit === o.upperLimit &&
        before.lowerLimit === o.lowerLimit;
      return assessObjective(o, resolve(r, o.metric), obs[v], {
        alpha: split.alphaPerStatement,
        final,
        ...(same ? { previous: before } : {}),
      });
    });
    const verdict = combineVerdicts(objectives.map((o) => o.status));
    const assessment: VersionAssessment = {
      role: v === baseline ? "baseline" : v === dark ? "dark" : "candidate",
      validated: verdict === "pass" ? true : verdict === "fail" ? false : null,
      objectives,
    };
    if (v !== dark && reward !== undefined && rewardMetric !== undefined)
      assessment.reward = assessReward(reward, rewardMetric, obs[v], split.alphaPerStatement);
    versions[v] = assessment;
  }

  const sameReward =
    previous !== undefined && previous.versions[baseline]?.reward?.metric === reward?.metric;
  // the comparisons the reward's intervals continue from; under Progressive A/B and A/B/n a pair
  // served in one ratio since the first interval pools from its first request (assess-pool.ts).
  // A one-shot `cohort analyze` knows the allocations only at its first look.
  const previousComparisons = (): { previous?: RewardComparison[] } => {
    const before = sameReward ? previous.comparisons : undefined;
    if (!epochs || rewardMetric === undefined)
      return before === undefined ? {} : { previous: before };
    if (options.allocations === undefined && iteration > 1)
      return before === undefined ? {} : { previous: before };
    const zero: RewardCounts =
      metricKind(rewardMetric) === "rate"
        ? { count: 0, successes: 0 }
        : { count: 0, sum: 0, sumSquares: 0 };
    const allocations = options.allocations ?? [initialWeights(r), previousWeights];
    return {
      previous: openEpochsFromStart(before ?? [], names, allocations, zero, (version, against) => ({
        version,
        against,
        difference: null,
        better: false,
        method: "combined",
      })),
    };
  };
  const comparisons =
    reward !== undefined && rewardMetric !== undefined
      ? compareRewards(reward, rewardMetric, names, obs, {
          alpha: split.alphaPerStatement,
          // pooling epochs only where the weights are expected to hold still: Progressive A/B and
          // A/B/n keep each pair of contenders at 1:1 while the winner is identified; Canary ramps
          // keep moving, so there an epoch would spend α for nothing
          ...(epochs
            ? { inForce: previousWeights }
            : {
                // under Progressive this is never true: the split CS at the full α
                pooled: fixedAllocation(
                  r.deploymentPattern,
                  options.allocations ?? [initialWeights(r), previousWeights],
                ),
              }),
          ...previousComparisons(),
        })
      : [];
  const validated = Object.fromEntries(names.map((v) => [v, versions[v]?.validated ?? null]));
  const decision = decideWinner({
    testingPattern: r.testingPattern,
    baseline,
    versions: names,
    validated,
    better: (a, b) => comparisons.some((c) => c.version === a && c.against === b && c.better),
    final,
  });

  const failed = new Set(names.filter((v) => validated[v] === false));
  const anyObjective = (test: typeof leansToFail) =>
    new Set(
      names.filter((v) =>
        versions[v]?.objectives.some((o, i) => {
          const objective = r.criteria.objectives[i];
          return objective !== undefined && test(o, resolve(r, objective.metric));
        }),
      ),
    );
  // A/B and A/B/n: equal shares among the versions still in the race (weights-race.ts)
  const inRace = contenders(names, failed, validated, (u, v) =>
    comparisons.some((c) => c.version === u && c.against === v && c.better),
  );
  const weights = nextWeights({
    testingPattern: r.testingPattern,
    deploymentPattern: r.deploymentPattern,
    baseline,
    versions: names,
    previous: previousWeights,
    failed,
    winner: decision.winner,
    contenders: inRace,
    maxCandidateWeight: r.weights.maxCandidateWeight,
    maxCandidateWeightIncrement: r.weights.maxCandidateWeightIncrement,
    // the canary ramp holds while the evidence leans against the candidate; A/B and A/B/n keep
    // their equal split while identifying, which a hold would break
    held: r.testingPattern === "Canary" ? anyObjective(leansToFail) : new Set<string>(),
  });

  return {
    ...split,
    iteration,
    final,
    versions,
    comparisons:
      epochs && reward !== undefined && rewardMetric !== undefined
        ? startPoolingEpochs(comparisons, reward, rewardMetric, obs, previousWeights, weights)
        : comparisons,
    winner: decision.winner,
    recommended: decision.recommended,
    winnerReason: decision.reason,
    previousWeights,
    weights,
    missing: assessed.filter((v) => obs[v] === undefined),
  };
}
