import {
  type Criteria,
  DEFAULTS,
  type DeploymentPattern,
  type Duration,
  type Experiment,
  type ExperimentSpec,
  type MetricDefinition,
  type Objective,
  type VersionSpec,
  type Weights,
} from "./schema.js";

/** A spec with every defaulted field filled in, so readers need no `??` of their own. */
export type ResolvedSpec = ExperimentSpec & {
  deploymentPattern: DeploymentPattern;
  candidates: VersionSpec[];
  criteria: Criteria & { confidence: number; objectives: Objective[] };
  metrics: MetricDefinition[];
  weights: Required<Weights>;
  duration: Required<Duration>;
};

/** An experiment whose spec has its defaults applied (what `parseExperiment` returns). */
export type ResolvedExperiment = Experiment & { spec: ResolvedSpec };

/** Fills in the defaults (DEFAULTS in schema.ts); returns a new spec and leaves `spec` alone. */
export function withDefaults(spec: ExperimentSpec): ResolvedSpec {
  return {
    ...spec,
    deploymentPattern: spec.deploymentPattern ?? DEFAULTS.deploymentPattern,
    candidates: spec.candidates ?? [],
    criteria: {
      ...spec.criteria,
      confidence: spec.criteria.confidence ?? DEFAULTS.confidence,
      objectives: spec.criteria.objectives ?? [],
    },
    metrics: spec.metrics ?? [],
    weights: {
      maxCandidateWeight: spec.weights?.maxCandidateWeight ?? DEFAULTS.maxCandidateWeight,
      maxCandidateWeightIncrement:
        spec.weights?.maxCandidateWeightIncrement ?? DEFAULTS.maxCandidateWeightIncrement,
    },
    duration: {
      intervalSeconds: spec.duration?.intervalSeconds ?? DEFAULTS.intervalSeconds,
      maxIterations: spec.duration?.maxIterations ?? DEFAULTS.maxIterations,
    },
  };
}
