/** `cohort describe FILE`: the analysis table for a stored status (an Experiment with `.status`, or a status). */
import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import { describeStoredStatus } from "../../core/describe-status.js";
import { describeError, isCohortError } from "../../core/errors.js";
import { InputFileError } from "./analyze.js";
import type { RegisterCommand } from "./index.js";

async function loadDocument(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw new InputFileError(`cannot read ${path}`, { cause });
  }
  try {
    return parse(text);
  } catch (cause) {
    throw new InputFileError(`${path} is neither YAML nor JSON`, { cause });
  }
}

export const registerDescribe: RegisterCommand = (program) => {
  program
    .command("describe")
    .description("Show the verdicts, reward, winner and weights stored in an experiment's status")
    .argument("<file>", "an Experiment with .status (YAML or JSON), or a bare status (JSON)")
    .addHelpText(
      "after",
      "\nExit status 0 after printing; 1 when the file is missing or has no valid status.",
    )
    .action(async (file: string) => {
      try {
        process.stdout.write(`${describeStoredStatus(await loadDocument(file), file)}\n`);
      } catch (e) {
        if (!isCohortError(e)) throw e;
        process.stderr.write(`cohort describe: ${describeError(e)}\n`);
        process.exitCode = 1;
      }
    });
};
