/** `cohort run FILE`: runs an experiment on this machine — sidecar, metrics, weights, promotion. */
import { dirname, resolve } from "node:path";
import { CohortError, describeError, isCohortError } from "../../core/errors.js";
import { formatProblem, isExperimentInvalid } from "../../core/experiment/index.js";
import { loadExperimentFile } from "../../experiment-file.js";
import { defaultReportPath, writeReport } from "../../local/report-file.js";
import { type RunResult, runExperiment } from "../../local/runner.js";
import { createLogger } from "../../log.js";
import {
  type Notifier,
  notifierFromEnv,
  silentNotifier,
  WEBHOOK_URL_ENV,
  webhookNotifier,
} from "../../notify/index.js";
import { createPromoter } from "../../promotion/index.js";
import type { RegisterCommand } from "./index.js";

interface RunFlags {
  json?: boolean;
  state?: string;
  sidecar?: string;
  prometheus?: string;
  fresh?: boolean;
  report?: string;
  webhookUrl?: string;
}

/** Exit codes of `cohort run`. */
export const RUN_EXIT = {
  verdict: 0,
  error: 1,
  usage: 2,
  "no-verdict": 3,
  interrupted: 130,
} as const;

/** The last line of `--json`. */
export function jsonLine(r: RunResult, reportPath: string | null): string {
  return JSON.stringify({
    winner: r.winner,
    recommended: r.recommended,
    weights: r.weights,
    phase: r.phase,
    reportPath,
  });
}

/** The webhook of --webhook-url, else of $COHORT_WEBHOOK_URL, else none. */
function notifierOf(url: string | undefined): Notifier {
  const log = createLogger({ component: "notify" }, { level: "warn" });
  if (url === undefined) return notifierFromEnv(process.env, log);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (e) {
    throw new CohortError(`--webhook-url: not a URL: ${JSON.stringify(url)}`, { cause: e });
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    throw new CohortError(`--webhook-url: must be http or https, got ${JSON.stringify(url)}`);
  return webhookNotifier({ url, log });
}

async function run(file: string, flags: RunFlags, notifier: Notifier): Promise<number> {
  const out = (line: string) => (flags.json ? process.stderr : process.stdout).write(`${line}\n`);
  const controller = new AbortController();
  const stop = () => {
    out("interrupted: stopping after the current step; run the same command again to resume");
    controller.abort();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    const experiment = await loadExperimentFile(file);
    const statePath = flags.state ?? `.cohort/${experiment.metadata.name}.state.json`;
    const result = await runExperiment({
      experiment,
      statePath,
      promoter: createPromoter({ baseDir: dirname(resolve(file)) }),
      progress: out,
      signal: controller.signal,
      notifier,
      ...(flags.fresh === true ? { fresh: true } : {}),
      ...(flags.sidecar === undefined ? {} : { sidecarAdminUrl: flags.sidecar }),
      ...(flags.prometheus === undefined ? {} : { prometheusUrl: flags.prometheus }),
    });
    out("");
    out(result.summary);
    if (result.end === "no-verdict")
      out(
        `\nNo verdict after ${result.state.looks} looks: the experiment had too little traffic to decide; nothing was promoted.`,
      );
    const reportPath = await writeReport(
      resolve(flags.report ?? defaultReportPath(statePath, experiment.metadata.name)),
      result.state,
      experiment.spec,
    );
    out(`\nreport: ${reportPath}`);
    if (flags.json) process.stdout.write(`${jsonLine(result, reportPath)}\n`);
    return RUN_EXIT[result.end];
  } catch (e) {
    if (isExperimentInvalid(e)) {
      for (const p of e.problems) process.stderr.write(`${formatProblem(p, file)}\n`);
      process.stderr.write(`cohort run: ${file} is not a valid experiment; nothing was started\n`);
      return RUN_EXIT.error;
    }
    if (!isCohortError(e)) throw e;
    process.stderr.write(`cohort run: ${describeError(e)}\n`);
    return RUN_EXIT.error;
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}

export const registerRun: RegisterCommand = (program) => {
  program
    .command("run")
    .description("Run an experiment locally: sidecar, load, progressive weights, promotion")
    .argument("<file>", "the Experiment (YAML or JSON); versions carry a url")
    .option("--json", "progress on stderr; stdout ends with one JSON line of the outcome")
    .option("--state <file>", "the state file to resume from (default .cohort/<name>.state.json)")
    .option("--fresh", "start over even if the state file holds a run of another spec")
    .option("--sidecar <adminUrl>", "use a running sidecar (its admin URL) instead of starting one")
    .option(
      "--prometheus <url>",
      "read metrics through this Prometheus (needed for custom metrics)",
    )
    .addHelpText(
      "after",
      "\nExit status 0 when the experiment reached a verdict (completed or rolled back), 1 on errors" +
        " (invalid file, promotion failed...), 2 on a bad flag (--webhook-url), 3 when it ended without a verdict (too little traffic)," +
        " 130 when interrupted. Killed and run again, it resumes from the state file; see docs/local-mode.md.",
    )
    .option(
      "--webhook-url <url>",
      `post Slack-compatible notifications (start, rollback, finish) here; default $${WEBHOOK_URL_ENV}`,
    )
    .action(async (file: string, flags: RunFlags) => {
      let notifier: Notifier;
      try {
        notifier = notifierOf(flags.webhookUrl);
      } catch (e) {
        process.stderr.write(`cohort run: ${describeError(e)}\n`);
        process.exitCode = RUN_EXIT.usage;
        return;
      }
      const code = await run(file, flags, notifier);
      process.exitCode = code;
      // the run waited a bounded time for the webhook; retries still pending must not keep us alive
      if (notifier !== silentNotifier)
        process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
    });
};
