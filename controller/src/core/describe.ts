/**
 * The readable report of `cohort analyze` and `cohort describe`, after `iter8ctl describe`: an
 * overview, the winner, then versions × objectives with ✔ (pass), ✘ (fail) or ? (undecided) and
 * every estimate with its interval, the reward and its comparisons, and the weights. The dark
 * (mirror) version's column is headed "v4 (dark)"; it has no reward and no weight.
 */
import type { Decisions } from "./analysis-types.js";
import type { ObjectiveAssessment, Verdict } from "./assess-types.js";
import { formatDifference, formatInterval, formatNumber } from "./describe-format.js";
import { renderTable } from "./describe-table.js";
import type { Condition, Phase } from "./status.js";

/** What the overview shows besides the decisions; every field is optional. */
export interface DescribeContext {
  name?: string;
  target?: string;
  testingPattern?: string;
  deploymentPattern?: string;
  phase?: Phase;
  iteration?: number;
  maxIterations?: number;
  conditions?: Condition[];
  message?: string;
}

const MARK: Record<Verdict, string> = { pass: "✔", fail: "✘", undecided: "?" };

function validatedMark(v: boolean | null): string {
  return v === true ? "✔ validated" : v === false ? "✘ not validated" : "? undecided";
}

/** "latency-p99 ≤ 50", "conversion ≥ 0.03", "request-count ∈ [100, 1000]". */
export function objectiveLabel(
  o: Pick<ObjectiveAssessment, "metric" | "upperLimit" | "lowerLimit">,
): string {
  const { metric, upperLimit: hi, lowerLimit: lo } = o;
  if (hi !== undefined && lo !== undefined)
    return `${metric} ∈ [${formatNumber(lo)}, ${formatNumber(hi)}]`;
  if (hi !== undefined) return `${metric} ≤ ${formatNumber(hi)}`;
  if (lo !== undefined) return `${metric} ≥ ${formatNumber(lo)}`;
  return metric;
}

function section(title: string, body: string): string {
  return `****** ${title} ******\n${body}`;
}

function overview(d: Decisions, ctx: DescribeContext): string {
  const lines: string[] = [];
  if (ctx.name !== undefined) lines.push(`Experiment: ${ctx.name}`);
  if (ctx.target !== undefined) lines.push(`Target: ${ctx.target}`);
  if (ctx.testingPattern !== undefined)
    lines.push(
      `Testing pattern: ${ctx.testingPattern}${ctx.deploymentPattern ? ` (${ctx.deploymentPattern})` : ""}`,
    );
  if (ctx.phase !== undefined) lines.push(`Phase: ${ctx.phase}`);
  if (ctx.iteration !== undefined)
    lines.push(
      `Iteration: ${ctx.iteration}${ctx.maxIterations !== undefined ? ` of ${ctx.maxIterations}` : ""}`,
    );
  if (d.statements > 0)
    lines.push(
      `Confidence: ${formatNumber(1 - d.alpha)} (α = ${formatNumber(d.alpha)} split over ${d.statements} statement${d.statements === 1 ? "" : "s"}: ${formatNumber(d.alphaPerStatement)} each)`,
    );
  if (ctx.message) lines.push(`Message: ${ctx.message}`);
  return lines.join("\n");
}

/** "none yet" while the experiment runs; "none" once it has ended (its phase is final). */
function winnerSection(d: Decisions, ended: boolean): string {
  return [
    `Winner: ${d.winner ?? (ended ? "none" : "none yet")}`,
    `Recommended: ${d.recommended}`,
    `Why: ${d.winnerReason}`,
  ].join("\n");
}

/** The column's heading: the dark (mirror) version says so. */
function heading(d: Decisions, v: string): string {
  return d.versions[v]?.role === "dark" ? `${v} (dark)` : v;
}

function objectivesTable(d: Decisions, names: string[]): string {
  const first = d.versions[names[0] ?? ""];
  const rows: string[][] = [["Objective", ...names.map((v) => heading(d, v))]];
  (first?.objectives ?? []).forEach((o, i) => {
    rows.push([
      objectiveLabel(o),
      ...names.map((v) => {
        const a = d.versions[v]?.objectives[i];
        return a === undefined ? "" : `${MARK[a.status]} ${formatInterval(a.value)}`;
      }),
    ]);
  });
  rows.push(["Validated", ...names.map((v) => validatedMark(d.versions[v]?.validated ?? null))]);
  return renderTable(rows);
}

function rewardTable(d: Decisions, names: string[]): string | undefined {
  const reward = d.versions[names[0] ?? ""]?.reward;
  if (reward === undefined) return undefined;
  const rows: string[][] = [
    ["Reward", ...names],
    [
      `${reward.metric} (${reward.preferredDirection === "High" ? "higher" : "lower"} is better)`,
      ...names.map((v) => formatInterval(d.versions[v]?.reward?.value)),
    ],
  ];
  for (const against of names) {
    const cells = names.map((v) => {
      const c = d.comparisons.find((x) => x.version === v && x.against === against);
      return c === undefined ? "" : `${c.better ? "✔ " : ""}${formatDifference(c.difference)}`;
    });
    if (cells.some((c) => c !== "")) rows.push([`minus ${against}`, ...cells]);
  }
  return renderTable(rows);
}

function weightsTable(d: Decisions, names: string[]): string {
  return renderTable([
    ["Traffic", ...names],
    ["Weight (%)", ...names.map((v) => String(d.weights[v] ?? 0))],
  ]);
}

function conditionsTable(conditions: Condition[]): string {
  return renderTable([
    ["Condition", "Status", "Reason", "Message"],
    ...conditions.map((c) => [c.type, c.status, c.reason, c.message]),
  ]);
}

/** The whole report as text (no trailing newline). */
export function describeDecisions(d: Decisions, ctx: DescribeContext = {}): string {
  const names = Object.keys(d.versions);
  if (names.length === 0) {
    const parts = [section("Overview", overview(d, ctx)), "No look has been analysed yet."];
    if (ctx.conditions !== undefined && ctx.conditions.length > 0)
      parts.push(section("Conditions", conditionsTable(ctx.conditions)));
    return parts.join("\n\n");
  }
  // the dark version has objectives only: no reward, no split weight
  const split = names.filter((v) => d.versions[v]?.role !== "dark");
  const parts = [
    section("Overview", overview(d, ctx)),
    section(
      "Winner",
      winnerSection(
        d,
        ctx.phase === "Completed" || ctx.phase === "RolledBack" || ctx.phase === "Failed",
      ),
    ),
    section("Objectives", objectivesTable(d, names)),
  ];
  const reward = rewardTable(d, split);
  if (reward !== undefined) parts.push(section("Reward", reward));
  parts.push(section("Traffic", weightsTable(d, split)));
  if (ctx.conditions !== undefined && ctx.conditions.length > 0)
    parts.push(section("Conditions", conditionsTable(ctx.conditions)));
  return parts.join("\n\n");
}
