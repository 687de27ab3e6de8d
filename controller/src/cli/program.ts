/** The `cohort` command line: one sub-command per file in ./commands, registered below. */
import { Command } from "commander";
import { describeError } from "../core/errors.js";
import { commands } from "./commands/index.js";

export function buildProgram(): Command {
  const program = new Command("cohort")
    .description("Experiments and progressive delivery inside the data plane of an Envoy mesh")
    .showHelpAfterError()
    .configureHelp({ sortSubcommands: true });
  for (const register of commands) register(program);
  return program;
}

/** Exit codes: 0 ok, 1 the command ran and reports a failure (e.g. invalid file), 2 usage/internal. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  // Commands report failure through process.exitCode; start each run from a clean slate so that
  // calling main() twice in one process (tests) doesn't inherit the previous run's code.
  process.exitCode = undefined;
  try {
    await program.parseAsync(argv, { from: "user" });
    const code = typeof process.exitCode === "number" ? process.exitCode : 0;
    process.exitCode = undefined;
    return code;
  } catch (e) {
    process.exitCode = undefined;
    const code = (e as { code?: string; exitCode?: number }).code;
    if (typeof code === "string" && code.startsWith("commander.")) {
      return (e as { exitCode: number }).exitCode;
    }
    process.stderr.write(`cohort: ${describeError(e)}\n`);
    return 2;
  }
}
