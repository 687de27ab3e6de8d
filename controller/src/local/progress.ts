/** The lines a person watches during a run: each look's weights and estimates, and each decision. */

import { reviveIntervals } from "../core/analysis-json.js";
import type { VersionAssessment } from "../core/assess-types.js";
import { objectiveLabel } from "../core/describe.js";
import { formatInterval } from "../core/describe-format.js";
import type { RecordedAction } from "../core/status.js";
import type { LocalState } from "./state-file.js";

const MARK = { pass: "✔", fail: "✘", undecided: "?" } as const;

/** "    v2 (1500 req)  ✔ latency-p99 ≤ 50: …"; the dark version's requests are mirrored copies. */
export function versionLine(
  name: string,
  a: VersionAssessment,
  requests: number | undefined,
): string {
  const parts = a.objectives.map(
    (o) => `${MARK[o.status]} ${objectiveLabel(o)}: ${formatInterval(o.value)}`,
  );
  if (a.reward !== undefined)
    parts.push(`reward ${a.reward.metric}: ${formatInterval(a.reward.value)}`);
  const n =
    requests === undefined ? "" : ` (${requests} ${a.role === "dark" ? "mirrored req" : "req"})`;
  return `    ${name}${n}  ${parts.join("  ") || "no criteria"}`;
}

/** The header line and one line per version for the look just taken. */
export function lookLines(state: LocalState): string[] {
  // the status is plain JSON (unbounded interval ends are null): read them back as numbers
  const s = state.status === null ? null : reviveIntervals(state.status);
  const last = state.history[state.history.length - 1];
  if (s === null || last === undefined) return [];
  const head =
    `look ${last.look} t=${last.elapsedSeconds.toFixed(1)}s iteration ${s.iteration} ` +
    `${s.phase}  weights ${s.weightsSummary}`;
  if (last.held !== undefined) return [`${head}  held: ${last.held}`];
  return [
    head,
    ...Object.entries(s.versions).map(([v, a]) => versionLine(v, a, state.observed[v]?.requests)),
  ];
}

/** One line per decision the look took. */
export function decisionLines(actions: RecordedAction[], winnerReason: string): string[] {
  return actions.flatMap((a): string[] => {
    switch (a.kind) {
      case "rollback":
        return [`  decision: roll back ${a.version} — it fails an objective with confidence`];
      case "stop-mirror":
        return [
          `  decision: stop mirroring to ${a.version} — it fails an objective with confidence`,
        ];
      case "promote":
        return [`  decision: promote ${a.version} — ${winnerReason}`];
      default:
        return [];
    }
  });
}
