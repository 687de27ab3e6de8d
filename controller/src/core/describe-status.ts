/**
 * The report for a stored status (`cohort describe`): from an Experiment document with `.status`,
 * or from a bare status object. Checks the fields the report reads and names any that is wrong.
 */
import { reviveIntervals } from "./analysis-json.js";
import { type DescribeContext, describeDecisions } from "./describe.js";
import { renderTable } from "./describe-table.js";
import { CohortError } from "./errors.js";
import type { ExperimentStatus, RecordedAction } from "./status.js";

export class StatusInvalid extends CohortError {
  override readonly name = "StatusInvalid";
}

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x);

function check(status: Record<string, unknown>, prefix: string, source: string): void {
  const problems: string[] = [];
  const need = (field: string, ok: boolean, what: string) => {
    if (!ok) problems.push(`${prefix}${field}: expected ${what}`);
  };
  need(
    "phase",
    typeof status.phase === "string",
    "a phase (Pending, Running, Completed, RolledBack, Failed)",
  );
  need("versions", isObject(status.versions), "an object by version name");
  need("weights", isObject(status.weights), "an object by version name");
  need("recommended", typeof status.recommended === "string", "a version name");
  need("alpha", typeof status.alpha === "number", "a number");
  if (isObject(status.versions))
    for (const [v, a] of Object.entries(status.versions))
      need(
        `versions.${v}.objectives`,
        isObject(a) && Array.isArray(a.objectives),
        "a list of objectives",
      );
  if (problems.length > 0) throw new StatusInvalid(`${source}: ${problems.join("; ")}`);
}

function actionsTable(actions: RecordedAction[]): string {
  return renderTable([
    ["Action", "Iteration", "What"],
    ...actions.map((a) => [
      a.id,
      String(a.iteration),
      a.kind === "set-weights"
        ? Object.entries(a.weights)
            .map(([v, w]) => `${v}=${w}`)
            .join(",")
        : `${a.kind} ${a.version}`,
    ]),
  ]);
}

/** The report for `doc` (an Experiment with `.status`, or a status). */
export function describeStoredStatus(doc: unknown, source = "input"): string {
  if (!isObject(doc))
    throw new StatusInvalid(`${source}: expected an Experiment or a status object`);
  const isExperiment = doc.kind === "Experiment" || isObject(doc.spec);
  const ctx: DescribeContext = {};
  let raw: unknown = doc;
  if (isExperiment) {
    if (!isObject(doc.status))
      throw new StatusInvalid(`${source}: status: the Experiment has no status yet`);
    raw = doc.status;
    const spec = isObject(doc.spec) ? doc.spec : {};
    const meta = isObject(doc.metadata) ? doc.metadata : {};
    if (typeof meta.name === "string") ctx.name = meta.name;
    if (typeof spec.target === "string") ctx.target = spec.target;
    if (typeof spec.testingPattern === "string") ctx.testingPattern = spec.testingPattern;
    ctx.deploymentPattern =
      typeof spec.deploymentPattern === "string" ? spec.deploymentPattern : "Progressive";
    const duration = isObject(spec.duration) ? spec.duration : {};
    ctx.maxIterations = typeof duration.maxIterations === "number" ? duration.maxIterations : 20;
  }
  check(raw as Record<string, unknown>, isExperiment ? "status." : "", source);
  const status = reviveIntervals(raw) as ExperimentStatus;
  ctx.phase = status.phase;
  if (typeof status.iteration === "number") ctx.iteration = status.iteration;
  if (Array.isArray(status.conditions)) ctx.conditions = status.conditions;
  if (typeof status.message === "string" && status.message !== "") ctx.message = status.message;
  const report = describeDecisions(
    {
      alpha: status.alpha,
      statements: status.statements ?? 1,
      alphaPerStatement: status.alphaPerStatement ?? status.alpha,
      versions: status.versions,
      comparisons: status.comparisons ?? [],
      winner: status.winner ?? null,
      recommended: status.recommended,
      winnerReason: status.winnerReason ?? "",
      weights: status.weights,
    },
    ctx,
  );
  const actions = Array.isArray(status.actions) ? status.actions : [];
  return actions.length === 0
    ? report
    : `${report}\n\n****** Actions ******\n${actionsTable(actions)}`;
}
