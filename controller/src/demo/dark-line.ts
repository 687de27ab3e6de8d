/** The dark version's line in the demo's output, like a look's version lines. */
import { objectiveLabel } from "../core/describe.js";
import { formatInterval } from "../core/describe-format.js";
import type { DarkAssessment } from "../report/index.js";

const MARK = { pass: "✔", fail: "✘", undecided: "?" } as const;

export function darkLine(d: DarkAssessment): string {
  const marks = d.assessment.objectives
    .map((o) => `${MARK[o.status]} ${objectiveLabel(o)}: ${formatInterval(o.value)}`)
    .join("  ");
  return `${d.version} (${d.requests} mirrored req)  ${marks}`;
}
