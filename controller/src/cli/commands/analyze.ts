/**
 * `cohort analyze --experiment exp.yaml --observations obs.json [--json] [--explain]`: one analysis
 * step — every objective of every version, the reward, the winner and the next weights.
 */
import { readFile } from "node:fs/promises";
import { analyze } from "../../core/analysis.js";
import { explainDecisions } from "../../core/analysis-explain.js";
import { analysisToJson } from "../../core/analysis-json.js";
import { parseObservations } from "../../core/analysis-observations.js";
import type { Analysis } from "../../core/analysis-types.js";
import { describeDecisions } from "../../core/describe.js";
import { CohortError, describeError, isCohortError } from "../../core/errors.js";
import type { ResolvedExperiment } from "../../core/experiment/index.js";
import type { Observations } from "../../core/observations.js";
import { createRng } from "../../core/stats/index.js";
import { loadExperimentFile } from "../../experiment-file.js";
import type { RegisterCommand } from "./index.js";

/** An input file could not be read or is not JSON. */
export class InputFileError extends CohortError {
  override readonly name = "InputFileError";
}

/** Reads and checks an observations file; errors name the file and the field. */
export async function loadObservationsFile(path: string): Promise<Observations> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw new InputFileError(`cannot read observations file ${path}`, { cause });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new InputFileError(`observations file ${path} is not valid JSON`, { cause });
  }
  return parseObservations(value, path);
}

interface AnalyzeFlags {
  experiment: string;
  observations: string;
  json?: boolean;
  explain?: boolean;
  seed: string;
}

/** The text `cohort analyze` prints for one analysis. */
export function renderAnalysis(
  experiment: ResolvedExperiment,
  a: Analysis,
  flags: { json?: boolean; explain?: boolean },
): string {
  if (flags.json) {
    const out = analysisToJson(a) as Record<string, unknown>;
    if (flags.explain) out.explanation = explainDecisions(a, a.previousWeights);
    return JSON.stringify(out, null, 2);
  }
  const { spec, metadata } = experiment;
  const table = describeDecisions(a, {
    name: metadata.name,
    target: spec.target,
    testingPattern: spec.testingPattern,
    deploymentPattern: spec.deploymentPattern ?? "Progressive",
    iteration: a.iteration,
    maxIterations: spec.duration?.maxIterations ?? 20,
    ...(a.missing.length > 0
      ? { message: `no observations for ${a.missing.join(", ")} (treated as no data yet)` }
      : {}),
  });
  if (!flags.explain) return table;
  const why = explainDecisions(a, a.previousWeights).map((s) => `- ${s}`);
  return `${table}\n\n****** Why ******\n${why.join("\n")}`;
}

export const registerAnalyze: RegisterCommand = (program) => {
  program
    .command("analyze")
    .description("Run one analysis step on observations: verdicts, reward, winner and next weights")
    .requiredOption("-e, --experiment <file>", "the Experiment (YAML or JSON)")
    .requiredOption("-o, --observations <file>", "cumulative observations per version (JSON)")
    .option("--json", "print the analysis as JSON")
    .option("--explain", "add the reasons, in sentences")
    .option(
      "--seed <n>",
      "seed of the random generator (kept for reproducible output; weights no longer sample)",
      "1",
    )
    .addHelpText(
      "after",
      "\nExit status 0 after printing the analysis; 1 when a file is missing or invalid (the message names the field).",
    )
    .action(async (flags: AnalyzeFlags) => {
      const seed = Number(flags.seed);
      if (!Number.isFinite(seed)) {
        process.stderr.write(`cohort analyze: --seed must be a number, got ${flags.seed}\n`);
        process.exitCode = 2;
        return;
      }
      let experiment: ResolvedExperiment;
      let observations: Observations;
      try {
        experiment = await loadExperimentFile(flags.experiment);
        observations = await loadObservationsFile(flags.observations);
      } catch (e) {
        if (!isCohortError(e)) throw e;
        process.stderr.write(`cohort analyze: ${describeError(e)}\n`);
        process.exitCode = 1;
        return;
      }
      const a = analyze(experiment.spec, observations, { rng: createRng(seed) });
      process.stdout.write(`${renderAnalysis(experiment, a, flags)}\n`);
    });
};
