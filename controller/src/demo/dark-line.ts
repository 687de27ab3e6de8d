/** The dark version's verdict at the end of the demo, as the core assessed it, and its line. */
import { reviveIntervals } from "../core/analysis-json.js";
import type { VersionAssessment } from "../core/assess-types.js";
import type { ExperimentSpec } from "../core/experiment/index.js";
import type { VersionObservation } from "../core/observations.js";
import type { ExperimentStatus } from "../core/status.js";
import { versionLine } from "../local/progress.js";

export interface DarkVersion {
  version: string;
  /** Mirrored requests it answered. */
  requests: number;
  /** The core's assessment (`status.versions`, role "dark"). */
  assessment: VersionAssessment;
}

/** Undefined when the spec mirrors to no version or the status has not assessed it. */
export function darkOf(
  spec: ExperimentSpec,
  status: ExperimentStatus | null,
  observed: Record<string, VersionObservation>,
): DarkVersion | undefined {
  const version = spec.traffic?.mirror?.version;
  const stored = version === undefined ? undefined : status?.versions[version];
  if (version === undefined || stored === undefined) return undefined;
  // a stored status is plain JSON (unbounded interval ends are null): read them back as numbers
  const assessment = reviveIntervals({ versions: { [version]: stored } }).versions[version];
  return { version, requests: observed[version]?.requests ?? 0, assessment: assessment ?? stored };
}

/** "v4 (812 mirrored req)  ✔ latency-p99 ≤ 250: …", like a look's version lines. */
export function darkLine(d: DarkVersion): string {
  return versionLine(d.version, { ...d.assessment, role: "dark" }, d.requests).trimStart();
}
