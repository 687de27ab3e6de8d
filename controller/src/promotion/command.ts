/**
 * Command promotion: run the user's program with the winner, from an argument array (no shell, so
 * a variable holding `$(rm -rf /)` or quotes is passed as plain text). The program also gets
 * COHORT_VERSION, COHORT_EXPERIMENT, COHORT_NAMESPACE and COHORT_VAR_<NAME> for each variable
 * (NAME upper-cased, other characters as `_`). It must be idempotent: the controller runs it again
 * when it cannot prove an earlier run finished.
 */
import type { CommandPromotion } from "../core/experiment/index.js";
import { type Backend, type BackendContext, resolvePath, step } from "./backend.js";
import { runProgram, showArgv } from "./run-program.js";
import { fill, fillRecord } from "./template.js";

export function commandEnv(
  settings: CommandPromotion,
  ctx: BackendContext,
): Record<string, string> {
  const env: Record<string, string> = {
    COHORT_VERSION: ctx.values.version,
    COHORT_EXPERIMENT: ctx.values.name,
    COHORT_NAMESPACE: ctx.values.namespace,
  };
  for (const [k, v] of Object.entries(ctx.values.variables)) {
    env[`COHORT_VAR_${k.toUpperCase().replace(/[^A-Z0-9_]/g, "_")}`] = v;
  }
  return { ...env, ...fillRecord(settings.env ?? {}, ctx.values, "spec.promotion.command.env") };
}

export function commandBackend(settings: CommandPromotion): Backend {
  const kind = "command";
  return {
    kind,
    async run(ctx) {
      const argv = await step(kind, ctx, "filling the arguments", async () =>
        settings.args.map((a, i) => fill(a, ctx.values, `spec.promotion.command.args[${i}]`)),
      );
      const env = await step(kind, ctx, "filling the environment", async () =>
        commandEnv(settings, ctx),
      );
      const cwd = settings.dir === undefined ? ctx.baseDir : resolvePath(ctx, settings.dir);
      if (ctx.dryRun) return { steps: [`would run ${showArgv(argv)} in ${cwd}`] };
      const out = await step(kind, ctx, `running ${showArgv(argv)}`, () =>
        runProgram({ argv, env, cwd, timeoutMs: ctx.timeoutMs }),
      );
      const said = out.stdout.trim().split("\n").pop() ?? "";
      return { steps: [`ran ${showArgv(argv)}${said === "" ? "" : ` (${said.slice(0, 200)})`}`] };
    },
  };
}
