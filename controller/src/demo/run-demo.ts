/**
 * `cohort demo` (npm start): four versions of a shop app on loopback, synthetic users through our
 * sidecar and the real filter, and `cohort run`'s machinery deciding an A/B/n experiment — the
 * builtin provider reading the sidecar's stats and each app's `/metrics` page, progressive weights,
 * promotion into a kustomization — then the HTML report. Everything it writes goes to one
 * directory (default `.cohort/demo`); its experiment.yaml runs as it is with `cohort run` while
 * the apps listen.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { stringify } from "yaml";
import { initialWeights } from "../core/weights-initial.js";
import { loadExperimentFile } from "../experiment-file.js";
import { type DataPlane, startOwnSidecar } from "../local/data-plane.js";
import { localPluginConfig } from "../local/local-plugin-config.js";
import { writeReport } from "../local/report-file.js";
import { type RunResult, runExperiment } from "../local/runner.js";
import { createLogger } from "../log.js";
import { createPromoter } from "../promotion/index.js";
import { type DarkVersion, darkOf } from "./dark-line.js";
import { startDemoApps } from "./demo-apps.js";
import {
  DEMO_APPS,
  DEMO_DEFAULTS,
  DEMO_DEPLOYMENT,
  DEMO_KUSTOMIZATION,
  type DemoSettings,
  demoExperiment,
} from "./demo-experiment.js";
import { warmUp } from "./warm-up.js";

/** Requests through the sidecar before the experiment, while it holds no experiment. */
const WARM_UP_REQUESTS = 1500;

export interface DemoOptions extends Partial<DemoSettings> {
  /** Where the experiment, state, overlay and report go. */
  dir?: string;
  progress?: (line: string) => void;
  signal?: AbortSignal;
}

export interface DemoOutcome {
  result: RunResult;
  dir: string;
  experimentPath: string;
  reportPath: string;
  kustomizationPath: string;
  /** The dark version's verdict on its mirrored traffic, as the core assessed it. */
  dark: DarkVersion | undefined;
}

export async function runDemo(opts: DemoOptions = {}): Promise<DemoOutcome> {
  const settings: DemoSettings = {
    rate: opts.rate ?? DEMO_DEFAULTS.rate,
    intervalSeconds: opts.intervalSeconds ?? DEMO_DEFAULTS.intervalSeconds,
    maxIterations: opts.maxIterations ?? DEMO_DEFAULTS.maxIterations,
    seed: opts.seed ?? DEMO_DEFAULTS.seed,
  };
  const progress = opts.progress ?? (() => {});
  const dir = resolve(opts.dir ?? ".cohort/demo");
  const prod = join(dir, "prod");
  // only what an earlier demo wrote is replaced: --dir may name a directory holding other files
  for (const f of ["experiment.yaml", "state.json", "report.html"])
    await rm(join(dir, f), { force: true });
  await mkdir(prod, { recursive: true });
  await writeFile(join(prod, "kustomization.yaml"), DEMO_KUSTOMIZATION);
  await writeFile(join(prod, "deployment.yaml"), DEMO_DEPLOYMENT);

  const apps = await startDemoApps(DEMO_APPS);
  let dataPlane: DataPlane | undefined;
  try {
    const urls = Object.fromEntries(apps.apps.map((a) => [a.version, a.url]));
    const experimentPath = join(dir, "experiment.yaml");
    await writeFile(
      experimentPath,
      `# Written by cohort demo: the apps listen on these ports for this run only.\n${stringify(demoExperiment(urls, "prod", settings))}`,
    );
    const experiment = await loadExperimentFile(experimentPath);
    progress(
      `cohort demo: ${apps.apps.map((a) => `${a.version} ${a.url}`).join(", ")}; experiment ${experimentPath}`,
    );
    const { spec } = experiment;
    const idle = localPluginConfig(experiment.metadata.name, spec, initialWeights(spec));
    dataPlane = await startOwnSidecar(
      spec,
      { ...idle, experiments: [] },
      createLogger({ component: "sidecar" }, { level: "warn" }),
    );
    progress(`warming up the sidecar and the apps (${WARM_UP_REQUESTS} requests, not counted)`);
    await warmUp(dataPlane.proxyUrl, WARM_UP_REQUESTS);
    const result = await runExperiment({
      sidecarAdminUrl: dataPlane.adminUrl,
      experiment,
      statePath: join(dir, "state.json"),
      fresh: true,
      promoter: createPromoter({ baseDir: dir }),
      // each look's lines include the dark version's, assessed by the core on its mirrored traffic
      progress,
      ...(opts.signal === undefined ? {} : { signal: opts.signal }),
    });
    const reportPath = join(dir, "report.html");
    await writeReport(reportPath, result.state, spec);
    return {
      result,
      dir,
      experimentPath,
      reportPath,
      kustomizationPath: join(prod, "kustomization.yaml"),
      dark: darkOf(spec, result.status, result.state.observed),
    };
  } finally {
    await dataPlane?.stop();
    await apps.close();
  }
}
