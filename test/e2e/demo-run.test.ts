/**
 * The demo's experiment.yaml as `cohort run` takes it, with no demo around it: the demo's apps
 * listen, the file is written as `cohort demo` writes it, and plain `cohort run` (no
 * `--prometheus`) reads the `provider: builtin` conversion metric from each app's /metrics page —
 * the dark v4's included — through the sidecar's builtin provider.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { type DemoApps, startDemoApps } from "../../controller/src/demo/demo-apps.js";
import {
  DEMO_APPS,
  DEMO_DEFAULTS,
  DEMO_DEPLOYMENT,
  DEMO_KUSTOMIZATION,
  demoExperiment,
} from "../../controller/src/demo/demo-experiment.js";
import { spawnCohort } from "./cohort-process.js";

interface State {
  looks: number;
  observed: Record<string, { requests: number; metrics?: { conversion?: { count: number } } }>;
}

describe("cohort run .cohort/demo/experiment.yaml", { timeout: 120_000 }, () => {
  let dir: string | undefined;
  let apps: DemoApps | undefined;
  afterAll(async () => {
    await apps?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it("reads the conversion of every version from the apps' pages without Prometheus", async () => {
    dir = await mkdtemp(join(tmpdir(), "cohort-demo-run-"));
    apps = await startDemoApps(DEMO_APPS);
    await mkdir(join(dir, "prod"));
    await writeFile(join(dir, "prod", "kustomization.yaml"), DEMO_KUSTOMIZATION);
    await writeFile(join(dir, "prod", "deployment.yaml"), DEMO_DEPLOYMENT);
    const urls = Object.fromEntries(apps.apps.map((a) => [a.version, a.url]));
    // three looks are enough to see the metric flow; the verdict is demo.test.ts's
    const settings = { ...DEMO_DEFAULTS, maxIterations: 3 };
    await writeFile(
      join(dir, "experiment.yaml"),
      stringify(demoExperiment(urls, "prod", settings)),
    );

    const p = spawnCohort(["run", "experiment.yaml", "--state", "state.json"], dir);
    const code = await p.exited;
    // 0 with a verdict, 3 when three looks were not enough; never a usage or metrics failure
    expect([0, 3], p.stderr.join("\n")).toContain(code);
    const state = JSON.parse(await readFile(join(dir, "state.json"), "utf8")) as State;
    expect(state.looks).toBeGreaterThan(0);
    for (const app of apps.apps) {
      const seen = state.observed[app.version]?.metrics?.conversion?.count ?? 0;
      // the app counted every visit the run's looks saw, and the looks saw some
      expect(seen, app.version).toBeGreaterThan(0);
      expect(seen, app.version).toBeLessThanOrEqual(app.counts().visits);
    }
  });
});
