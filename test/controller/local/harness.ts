/** Runs `runExperiment` in-process on a virtual clock against real upstreams and our real sidecar. */
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { parseExperiment } from "../../../controller/src/core/experiment/index.js";
import {
  type RunOptions,
  type RunResult,
  runExperiment,
} from "../../../controller/src/local/runner.js";
import { virtualScheduler } from "../../../controller/src/local/scheduler.js";
import { createPromoter } from "../../../controller/src/promotion/index.js";
import { experimentYaml, type TestExperiment } from "./experiment.js";

export interface Workspace {
  dir: string;
  statePath: string;
  promotedFile: string;
  /** Lines the command promoter appended ("checkout v2"). */
  promotions(): string[];
}

export async function workspace(): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), "cohort-local-"));
  const promotedFile = join(dir, "promoted.txt");
  return {
    dir,
    statePath: join(dir, "state.json"),
    promotedFile,
    promotions: () =>
      existsSync(promotedFile)
        ? readFileSync(promotedFile, "utf8").split("\n").filter(Boolean)
        : [],
  };
}

export interface LocalRun extends RunResult {
  lines: string[];
}

export async function runLocal(
  ws: Workspace,
  t: Omit<TestExperiment, "promotedFile">,
  extra: Partial<RunOptions> = {},
): Promise<LocalRun> {
  const lines: string[] = [];
  const result = await runExperiment({
    experiment: parseExperiment(experimentYaml({ ...t, promotedFile: ws.promotedFile })),
    statePath: ws.statePath,
    promoter: createPromoter(),
    scheduler: virtualScheduler(),
    progress: (l) => lines.push(l),
    ...extra,
  });
  return { ...result, lines };
}

/**
 * Registers an afterEach that closes every server handed to the returned function, so a test's
 * upstreams and receivers never outlive it, whatever its outcome.
 */
export function closedAfterEach(): <T extends { close(): Promise<void> }>(server: T) => T {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  return (server) => {
    open.push(server);
    return server;
  };
}
