/** `cohort filter-demo`: synthetic users through the real filter, a weight change, metrics. */
import { loadDemoConfig } from "../../../../sidecar/src/demo/demo-config.js";
import { formatDemo } from "../../../../sidecar/src/demo/demo-report.js";
import { runDemo } from "../../../../sidecar/src/demo/run-demo.js";
import type { RegisterCommand } from "./index.js";

function positiveInt(field: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${field} must be a positive integer`);
    return n;
  };
}

export const registerFilterDemo: RegisterCommand = (program) => {
  program
    .command("filter-demo")
    .description("Run synthetic users through the real filter in the host: split, mirror, ramp")
    .option("--users <n>", "number of synthetic users", positiveInt("--users"), 20000)
    .option("--seed <n>", "seed of the synthetic traffic", positiveInt("--seed"), 42)
    .option(
      "--shift <points>",
      "weight points moved to the rising version",
      positiveInt("--shift"),
      40,
    )
    .addHelpText(
      "after",
      "\nUses deploy/examples/plugin-config.json when present. Progress goes to stderr, the report to stdout.",
    )
    .action((opts: { users: number; seed: number; shift: number }) => {
      const { config, source } = loadDemoConfig();
      const result = runDemo({
        config,
        users: opts.users,
        seed: opts.seed,
        shift: opts.shift,
        progress: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(`${formatDemo(result, source, opts.seed).join("\n")}\n`);
    });
};
