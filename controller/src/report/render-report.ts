/**
 * `renderReport`: one self-contained HTML page for a run — the verdict and why, each version's
 * objectives (✔/✘/?), the weights over time, each metric per version with its interval at every
 * look (so the intervals can be seen shrinking), the promotion and the looks. Inline CSS and SVG,
 * no script, nothing fetched. Every user-provided string is escaped.
 */

import { explainDecisions } from "../core/analysis-explain.js";
import { reviveIntervals } from "../core/analysis-json.js";
import type { VersionAssessment } from "../core/assess-types.js";
import { objectiveLabel } from "../core/describe.js";
import { formatDifference, formatInterval } from "../core/describe-format.js";
import { type ExperimentSpec, versionsOf } from "../core/experiment/index.js";
import type { VersionObservation } from "../core/observations.js";
import type { ExperimentStatus } from "../core/status.js";
import type { PromotionRecord } from "../kube/promotion-record.js";
import { type ChartSeries, lineChart } from "./chart.js";
import { esc } from "./html.js";
import { REPORT_CSS } from "./style.js";

/** One look as the state file records it (`controller/src/local/state-file.ts` LookRecord). */
export interface ReportLook {
  look: number;
  iteration: number;
  elapsedSeconds: number;
  time?: string;
  phase: string;
  weights: Record<string, number>;
  held?: string;
  versions?: Record<string, VersionAssessment>;
  requests?: Record<string, number>;
}

export interface ReportInput {
  name?: string;
  spec: ExperimentSpec;
  status: ExperimentStatus | null;
  history: readonly ReportLook[];
  promotion?: PromotionRecord | null;
  /** Cumulative observations per version (the state's `observed`): how many mirrored requests the dark version answered. */
  observed?: Record<string, VersionObservation>;
}

const PALETTE = ["#1f6fb4", "#2ca02c", "#d62728", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2"];
const MARK = { pass: "✔", fail: "✘", undecided: "?" } as const;

function versionNames(spec: ExperimentSpec): string[] {
  const names = versionsOf(spec).map((v) => v.name);
  const mirror = spec.traffic?.mirror?.version;
  if (mirror !== undefined && !names.includes(mirror)) names.push(mirror);
  return names;
}

function colorOf(names: string[]) {
  return (v: string) => PALETTE[Math.max(0, names.indexOf(v)) % PALETTE.length] as string;
}

function summary(input: ReportInput, s: ExperimentStatus | null): string {
  const rows: [string, string][] = [
    ["Target", input.spec.target],
    ["Pattern", `${input.spec.testingPattern} · ${input.spec.deploymentPattern ?? ""}`],
    ["Phase", s?.phase ?? "Pending (no look taken)"],
    ["Winner", s?.winner ?? "none"],
    ["Recommended", s?.recommended ?? "—"],
    ["Looks", String(input.history.length)],
    [
      "Weights",
      s === null
        ? "—"
        : Object.entries(s.weights)
            .map(([v, w]) => `${v} ${w}%`)
            .join(", "),
    ],
  ];
  return `<dl class="summary">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join("")}</dl>`;
}

function why(s: ExperimentStatus | null): string {
  if (s === null) return "<p>No look was taken, so nothing was decided.</p>";
  const sentences = explainDecisions(s, s.weights).filter(
    (l) => l !== "The weights do not change.",
  );
  return (
    `<p class="reason">${esc(s.winnerReason)}</p>` +
    `<ul class="explain">${sentences.map((l) => `<li>${esc(l)}</li>`).join("")}</ul>`
  );
}

function objectivesTable(s: ExperimentStatus | null, names: string[]): string {
  if (s === null) return "";
  const versions = names.filter((v) => s.versions[v] !== undefined);
  const first = s.versions[versions[0] ?? ""];
  const heads = (first?.objectives ?? []).map((o) => objectiveLabel(o));
  const reward = first?.reward?.metric;
  const head = [
    "Version",
    "Validated",
    ...heads,
    ...(reward === undefined ? [] : [`${reward} (reward)`]),
  ];
  const rows = versions.map((v) => {
    const a = s.versions[v] as VersionAssessment;
    const validated = a.validated === true ? "yes" : a.validated === false ? "no" : "not yet";
    const cells = a.objectives.map(
      (o) =>
        `<td class="${o.status}" title="${esc(o.reason)}"><span class="mark">${MARK[o.status]}</span> ${esc(formatInterval(o.value))}</td>`,
    );
    const dark = a.role === "dark";
    // the dark version's responses never reach users: it has no reward
    const r =
      reward === undefined
        ? ""
        : `<td>${dark ? "— (dark)" : esc(formatInterval(a.reward?.value))}</td>`;
    return `<tr data-version="${esc(v)}"><th>${esc(v)}${dark ? " (dark)" : ""}</th><td>${validated}</td>${cells.join("")}${r}</tr>`;
  });
  return (
    `<table class="objectives"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead>` +
    `<tbody>${rows.join("")}</tbody></table>`
  );
}

function darkSection(input: ReportInput, s: ExperimentStatus | null): string {
  const mirror = input.spec.traffic?.mirror;
  if (mirror === undefined) return "";
  const v = mirror.version;
  const a = s?.versions[v];
  const requests = input.observed?.[v]?.requests ?? 0;
  const head = `<h2>Dark version ${esc(v)} (mirrored traffic only)</h2>`;
  if (s === null || a === undefined || requests === 0)
    return `${head}<p>No observations of ${esc(v)}: it answered no mirrored request.</p>`;
  const verdict =
    a.validated === true
      ? "meets every objective"
      : a.validated === false
        ? "fails an objective, so mirroring to it was stopped"
        : "is not decided yet";
  const cells = a.objectives.map(
    (o) =>
      `<tr class="${o.status}"><td>${esc(objectiveLabel(o))}</td><td class="${o.status}"><span class="mark">${MARK[o.status]}</span> ${esc(formatInterval(o.value))}</td><td>${esc(o.reason)}</td></tr>`,
  );
  return (
    `${head}<p class="dark" data-version="${esc(v)}" data-requests="${requests}">` +
    `${esc(v)} received ${esc(mirror.percent)}% of the participants as mirrored copies (their answers dropped; users never saw it) and answered <b>${requests}</b> of them. ` +
    `On that traffic alone it <b>${verdict}</b> (each objective one of the experiment's statements, at α = ${esc(s.alphaPerStatement.toPrecision(3))}). It takes no part in the split and cannot win.</p>` +
    `<table class="objectives dark"><thead><tr><th>Objective</th><th>Verdict</th><th>Why</th></tr></thead><tbody>${cells.join("")}</tbody></table>`
  );
}

function comparisonsTable(s: ExperimentStatus | null): string {
  const cs = (s?.comparisons ?? []).filter((c) => c.version !== c.against);
  if (cs.length === 0) return "";
  const rows = cs.map(
    (c) =>
      `<tr><td>${esc(c.version)} − ${esc(c.against)}</td><td>${esc(formatDifference(c.difference))}</td>` +
      `<td class="${c.better ? "pass" : "undecided"}">${c.better ? "better with confidence" : "not shown better"}</td></tr>`,
  );
  return `<table class="comparisons"><thead><tr><th>Reward difference</th><th>Interval</th><th></th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function weightsChart(history: readonly ReportLook[], names: string[]): string {
  const color = colorOf(names);
  const split = names.filter((v) => history.some((h) => h.weights[v] !== undefined));
  const series: ChartSeries[] = split.map((v) => ({
    name: v,
    color: color(v),
    points: history
      .filter((h) => h.weights[v] !== undefined)
      .map((h) => ({ x: h.look, y: h.weights[v] as number })),
  }));
  return lineChart({
    id: "weights",
    title: "Weights over time (% of participants)",
    xLabel: "look",
    yLabel: "weight %",
    series,
    yRange: [0, 100],
  });
}

interface MetricView {
  metric: string;
  title: string;
  limit?: { y: number; label: string };
  read(a: VersionAssessment): { estimate: number; lower: number; upper: number } | null | undefined;
}

function metricViews(spec: ExperimentSpec): MetricView[] {
  const views: MetricView[] = (spec.criteria.objectives ?? []).map((o, i) => ({
    metric: o.metric,
    title: `${o.metric} per version, estimate and interval at each look`,
    ...(o.upperLimit !== undefined
      ? { limit: { y: o.upperLimit, label: `limit ≤ ${o.upperLimit}` } }
      : o.lowerLimit !== undefined
        ? { limit: { y: o.lowerLimit, label: `limit ≥ ${o.lowerLimit}` } }
        : {}),
    read: (a) => a.objectives[i]?.value,
  }));
  const reward = spec.criteria.reward;
  if (reward !== undefined)
    views.push({
      metric: reward.metric,
      title: `${reward.metric} (reward, ${reward.preferredDirection === "High" ? "higher" : "lower"} is better) per version, estimate and interval at each look`,
      read: (a) => a.reward?.value,
    });
  return views;
}

function metricChart(view: MetricView, i: number, history: readonly ReportLook[], names: string[]) {
  const color = colorOf(names);
  const series: ChartSeries[] = names.map((v) => ({
    name: v,
    color: color(v),
    points: history.flatMap((h) => {
      const a = h.versions?.[v];
      const value = a === undefined ? undefined : view.read(a);
      if (value === null || value === undefined || !Number.isFinite(value.estimate)) return [];
      return [{ x: h.look, y: value.estimate, lower: value.lower, upper: value.upper }];
    }),
  }));
  // an interval with an unbounded end is drawn to the axis; the axis spans the estimates
  const finite = series.flatMap((s) => s.points.flatMap((p) => [p.y]));
  const limit = view.limit === undefined ? [] : [view.limit.y];
  const lo = Math.min(...finite, ...limit);
  const hi = Math.max(...finite, ...limit);
  const span = hi - lo || Math.abs(hi) || 1;
  return lineChart({
    id: `metric-${i}`,
    title: view.title,
    xLabel: "look",
    yLabel: view.metric,
    series: series.filter((s) => s.points.length > 0),
    yRange: [Math.max(lo - span * 0.6, lo < 0 ? -Infinity : 0), hi + span * 0.6],
    ...(view.limit === undefined ? {} : { guides: [view.limit] }),
  });
}

function promotionSection(p: PromotionRecord | null | undefined, spec: ExperimentSpec): string {
  const kind = spec.promotion?.kind ?? "none";
  if (p === null || p === undefined)
    return `<p>Nothing was promoted (promotion kind: ${esc(kind)}).</p>`;
  const rows: [string, string][] = [
    ["Version", p.version],
    ["State", p.state],
    ["How", kind],
    ["Action", p.actionId],
    ["Started", p.startTime],
    ["Finished", p.finishTime ?? "—"],
    ["Failed attempts", String(p.attempts)],
    ["Message", p.message],
  ];
  return `<dl class="summary promotion">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join("")}</dl>`;
}

function looksTable(history: readonly ReportLook[]): string {
  const rows = history.map((h) => {
    const w = Object.entries(h.weights)
      .map(([v, x]) => `${v}=${x}`)
      .join(", ");
    const r = Object.entries(h.requests ?? {})
      .map(([v, n]) => `${v} ${n}`)
      .join(", ");
    return `<tr><td>${h.look}</td><td>${h.elapsedSeconds.toFixed(1)} s</td><td>${h.iteration}</td><td>${esc(h.phase)}</td><td>${esc(w)}</td><td>${esc(r)}</td><td>${esc(h.held ?? "")}</td></tr>`;
  });
  return (
    `<table class="looks"><thead><tr><th>Look</th><th>Time</th><th>Iteration</th><th>Phase</th><th>Weights</th><th>Requests so far</th><th>Held</th></tr></thead>` +
    `<tbody>${rows.join("")}</tbody></table>`
  );
}

/** The report as one HTML document. */
export function renderReport(input: ReportInput): string {
  const s = input.status === null ? null : reviveIntervals(input.status);
  const history = input.history.map((h) =>
    h.versions === undefined
      ? h
      : { ...h, versions: reviveIntervals({ versions: h.versions }).versions },
  );
  const names = versionNames(input.spec);
  const name = input.name ?? input.spec.target;
  const charts = metricViews(input.spec).map((v, i) => metricChart(v, i, history, names));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cohort report: ${esc(name)}</title>
<style>${REPORT_CSS}</style></head>
<body><main>
<h1>Experiment <span class="name">${esc(name)}</span></h1>
${summary(input, s)}
<h2>The verdict and why</h2>
${why(s)}
<h2>Objectives and reward at the last look</h2>
${objectivesTable(s, names)}
${comparisonsTable(s)}
${darkSection(input, s)}
<h2>Weights over time</h2>
${weightsChart(history, names)}
<h2>Metrics per version</h2>
<p class="note">Each point is a look's estimate; the bar is its confidence interval, valid at every look at once (anytime-valid), so it shrinks as data comes in.</p>
${charts.join("\n")}
<h2>Promotion</h2>
${promotionSection(input.promotion, input.spec)}
<h2>Looks</h2>
${looksTable(history)}
<footer>Generated by Cohort.</footer>
</main></body></html>
`;
}
