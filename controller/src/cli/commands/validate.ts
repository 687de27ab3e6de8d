/** `cohort validate FILE...`: checks experiment files and prints every problem of every file. */
import { formatProblem, isExperimentInvalid, versionsOf } from "../../core/experiment/index.js";
import { ExperimentFileUnreadable, loadExperimentFile } from "../../experiment-file.js";
import type { RegisterCommand } from "./index.js";

/** What `cohort validate` prints: `valid` lines for stdout, problems for stderr. */
export interface ValidateReport {
  ok: boolean;
  valid: string[];
  problems: string[];
}

/** Validates each file (all of them, even after a bad one); never throws for a bad or missing file. */
export async function validateFiles(files: readonly string[]): Promise<ValidateReport> {
  const report: ValidateReport = { ok: true, valid: [], problems: [] };
  for (const file of files) {
    try {
      const { spec } = await loadExperimentFile(file);
      const n = versionsOf(spec).length;
      report.valid.push(
        `${file}: valid (${spec.testingPattern}, ${n} version${n === 1 ? "" : "s"})`,
      );
    } catch (e) {
      report.ok = false;
      if (isExperimentInvalid(e)) {
        report.problems.push(...e.problems.map((p) => formatProblem(p, file)));
      } else if (e instanceof ExperimentFileUnreadable) {
        report.problems.push(`${file}: cannot read (${e.reason})`);
      } else {
        throw e;
      }
    }
  }
  return report;
}

export const registerValidate: RegisterCommand = (program) => {
  program
    .command("validate")
    .description("Check Experiment files (YAML or JSON): schema, unknown fields and every rule")
    .argument("<files...>", "experiment files")
    .addHelpText(
      "after",
      "\nExit status 0 when every file is valid; 1 with one line per problem (FILE:LINE: FIELD: MESSAGE).",
    )
    .action(async (files: string[]) => {
      const report = await validateFiles(files);
      for (const line of report.valid) process.stdout.write(`${line}\n`);
      for (const line of report.problems) process.stderr.write(`${line}\n`);
      if (!report.ok) process.exitCode = 1;
    });
};
