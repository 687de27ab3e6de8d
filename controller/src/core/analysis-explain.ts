/** The why of an analysis in sentences (`cohort analyze --explain`). */
import type { Decisions } from "./analysis-types.js";
import { objectiveLabel } from "./describe.js";
import { formatDifference, formatNumber } from "./describe-format.js";

function alphaSentence(d: Decisions): string {
  return (
    `Confidence ${formatNumber(1 - d.alpha)}: the error budget α = ${formatNumber(d.alpha)} is split ` +
    `evenly over ${d.statements} statement${d.statements === 1 ? "" : "s"} (Bonferroni), so each ` +
    `interval below holds at every look with probability ≥ ${formatNumber(1 - d.alphaPerStatement)}.`
  );
}

function versionSentences(d: Decisions): string[] {
  const out: string[] = [];
  for (const [v, a] of Object.entries(d.versions)) {
    for (const o of a.objectives) out.push(`${v}, ${objectiveLabel(o)}: ${o.status}. ${o.reason}`);
    const failing = a.objectives.filter((o) => o.status === "fail").map((o) => o.metric);
    const open = a.objectives.filter((o) => o.status === "undecided").map((o) => o.metric);
    out.push(
      a.validated === true
        ? `${v} is validated: every objective passes.`
        : a.validated === false
          ? `${v} is not validated: it fails ${failing.join(", ")}.`
          : `${v} is not decided yet: ${open.join(", ")} ${open.length === 1 ? "is" : "are"} still undecided.`,
    );
  }
  return out;
}

function rewardSentences(d: Decisions): string[] {
  const out: string[] = [];
  for (const c of d.comparisons) {
    if (c.version === c.against) continue;
    const metric = d.versions[c.version]?.reward?.metric ?? "reward";
    if (c.better)
      out.push(
        `${c.version} is better than ${c.against} on ${metric} with confidence: the difference ${formatDifference(c.difference)} excludes 0.`,
      );
  }
  const undecidedPairs = d.comparisons.filter(
    (c) =>
      !c.better &&
      !d.comparisons.some((x) => x.version === c.against && x.against === c.version && x.better),
  );
  const seen = new Set<string>();
  for (const c of undecidedPairs) {
    const key = [c.version, c.against].sort().join("|");
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(
      `${c.version} and ${c.against} are not told apart yet: the difference ${formatDifference(c.difference)} contains 0.`,
    );
  }
  return out;
}

function weightSentences(d: Decisions, previous?: Record<string, number>): string[] {
  const out: string[] = [];
  for (const [v, w] of Object.entries(d.weights)) {
    const before = previous?.[v];
    if (before === undefined || before === w) continue;
    const failed = d.versions[v]?.validated === false;
    out.push(
      failed && w === 0
        ? `${v} fails an objective, so its traffic drops from ${before}% to 0 at once (rollback).`
        : `${v} moves from ${before}% to ${w}%.`,
    );
  }
  if (out.length === 0) out.push("The weights do not change.");
  return out;
}

/** Sentences, one per line of output. */
export function explainDecisions(d: Decisions, previousWeights?: Record<string, number>): string[] {
  return [
    alphaSentence(d),
    ...versionSentences(d),
    ...rewardSentences(d),
    d.winnerReason,
    `Recommended for promotion: ${d.recommended}.`,
    ...weightSentences(d, previousWeights),
  ];
}
