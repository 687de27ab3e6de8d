/** `cohort demo` (npm start): a whole local experiment — four app versions, sidecar, verdict, report. */
import { describeError, isCohortError } from "../../core/errors.js";
import { darkLine } from "../../demo/dark-line.js";
import { runDemo } from "../../demo/run-demo.js";
import type { RegisterCommand } from "./index.js";

function positive(field: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${field} must be a positive number`);
    return n;
  };
}

interface DemoFlags {
  dir: string;
  rate?: number;
  interval?: number;
  seed?: number;
}

export const registerDemo: RegisterCommand = (program) => {
  program
    .command("demo")
    .description(
      "Run the demo: four versions of a shop app, synthetic users through the sidecar and the real filter, an A/B/n experiment to a verdict, promotion and an HTML report",
    )
    .option("--dir <dir>", "where the experiment, state, overlay and report go", ".cohort/demo")
    .option("--rate <n>", "requests per second of the synthetic users", positive("--rate"))
    .option("--interval <seconds>", "seconds between looks", positive("--interval"))
    .option("--seed <n>", "seed of the synthetic users", positive("--seed"))
    .addHelpText(
      "after",
      "\nv1 is the baseline, v2 converts better, v3 is slow at its p99, v4 is dark (25% mirrored)." +
        " The filter-only demo of earlier versions is `cohort filter-demo`. See README.md, Try it.",
    )
    .action(async (flags: DemoFlags) => {
      const out = (line: string) => process.stdout.write(`${line}\n`);
      try {
        const d = await runDemo({
          dir: flags.dir,
          progress: out,
          ...(flags.rate === undefined ? {} : { rate: flags.rate }),
          ...(flags.interval === undefined ? {} : { intervalSeconds: flags.interval }),
          ...(flags.seed === undefined ? {} : { seed: flags.seed }),
        });
        out("");
        out(d.result.summary);
        out("");
        out(`verdict: ${d.result.phase}, winner ${d.result.winner ?? "none"}`);
        if (d.dark !== undefined) out(`dark ${darkLine(d.dark)}`);
        out(`promoted: ${d.result.promoted ?? "nothing"} (${d.kustomizationPath})`);
        out(`report: ${d.reportPath}`);
        process.exitCode = d.result.end === "verdict" ? 0 : 3;
      } catch (e) {
        if (!isCohortError(e)) throw e;
        process.stderr.write(`cohort demo: ${describeError(e)}\n`);
        process.exitCode = 1;
      }
    });
};
