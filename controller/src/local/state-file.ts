/**
 * The local run's memory on disk: the status and everything a restarted `cohort run` needs to
 * carry on (the promotion record, the counts of earlier sidecar sessions, the assignment table).
 * Written atomically — a temporary file, fsync, rename, fsync of the directory — so a kill at any
 * moment leaves either the previous state or the new one, never a torn file.
 */
import { createHash } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import type { VersionAssessment } from "../core/assess-types.js";
import type { AssignmentTable } from "../core/assignment.js";
import type { VersionObservation } from "../core/observations.js";
import type { ExperimentStatus } from "../core/status.js";
import type { PromotionRecord } from "../kube/promotion-record.js";
import { StateFileError } from "./errors.js";

export const STATE_FORMAT = "cohort.dev/local-state/v1";

/** One look as the report and the progress lines see it. */
export interface LookRecord {
  look: number;
  iteration: number;
  elapsedSeconds: number;
  time: string;
  phase: string;
  weights: Record<string, number>;
  /** Why the look held, when it did (no data, provider error). */
  held?: string;
  /** The look's assessments (estimates with their intervals), so a report can show them shrink. */
  versions?: Record<string, VersionAssessment>;
  /** Requests per version seen so far (cumulative). */
  requests?: Record<string, number>;
}

export interface LocalState {
  format: typeof STATE_FORMAT;
  experiment: string;
  /** sha256 of the experiment's name and spec: a changed file is refused (or started afresh). */
  specHash: string;
  startTime: string;
  /** Looks taken, held ones included. */
  looks: number;
  status: ExperimentStatus | null;
  promotion: PromotionRecord | null;
  /** Cumulative counts of the run so far (all sidecar sessions); the next session adds to them. */
  observed: Record<string, VersionObservation>;
  /** The counts of earlier sessions of our own sidecar (its counters restart with it). */
  carried: Record<string, VersionObservation>;
  assignment?: AssignmentTable;
  history: LookRecord[];
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  return value;
}

/** A hash of what the run depends on: the same spec written in another key order hashes the same. */
export function specHashOf(name: string, spec: unknown): string {
  return createHash("sha256")
    .update(JSON.stringify(canonical({ name, spec })))
    .digest("hex")
    .slice(0, 16);
}

export function freshState(name: string, specHash: string, now: Date): LocalState {
  return {
    format: STATE_FORMAT,
    experiment: name,
    specHash,
    startTime: now.toISOString(),
    looks: 0,
    status: null,
    promotion: null,
    observed: {},
    carried: {},
    history: [],
  };
}

/** The state at `path`, or undefined when there is none. */
export async function readState(path: string): Promise<LocalState | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if ((e as { code?: string }).code === "ENOENT") return undefined;
    throw new StateFileError(`cannot read state file ${path}`, { cause: e });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new StateFileError(`state file ${path} is not JSON; remove it or pass --fresh`, {
      cause: e,
    });
  }
  const s = doc as Partial<LocalState> | null;
  if (s === null || typeof s !== "object" || s.format !== STATE_FORMAT)
    throw new StateFileError(
      `${path} is not a cohort run state file (format ${JSON.stringify(s?.format)}, expected ${STATE_FORMAT}); pass another --state or --fresh`,
    );
  return s as LocalState;
}

/** Replaces the state at `path` atomically and durably. */
export async function writeState(path: string, state: LocalState): Promise<void> {
  const dir = dirname(path);
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await mkdir(dir, { recursive: true });
    const fh = await open(tmp, "w");
    try {
      await fh.writeFile(`${JSON.stringify(state, null, 1)}\n`);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
    const d = await open(dir, "r");
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch (e) {
    await rm(tmp, { force: true });
    throw new StateFileError(`cannot write state file ${path}`, { cause: e });
  }
}
