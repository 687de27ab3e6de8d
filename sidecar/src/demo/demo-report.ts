import type { DemoResult, PassCounts } from "./run-demo.js";

const pct = (n: number, of: number) => (of === 0 ? "-" : `${((100 * n) / of).toFixed(1)}%`);
const weights = (w: Record<string, number>) =>
  Object.entries(w)
    .map(([k, v]) => `${k} ${v}`)
    .join(" / ");

function versionTable(c: PassCounts, w: Record<string, number>): string[] {
  const sum = Object.values(w).reduce((a, b) => a + b, 0);
  const lines = ["  version      users    share   target"];
  for (const v of Object.keys(w)) {
    const n = c.byVersion[v] ?? 0;
    lines.push(
      `  ${v.padEnd(10)} ${String(n).padStart(7)} ${pct(n, c.participants).padStart(8)} ${pct(w[v] ?? 0, sum).padStart(8)}`,
    );
  }
  lines.push(`  ${"participants".padEnd(10)} ${String(c.participants).padStart(7)}`);
  return lines;
}

function reasonLines(c: PassCounts, total: number): string[] {
  const lines = ["  requests by reason:"];
  for (const [r, n] of Object.entries(c.byReason).sort()) {
    lines.push(`    ${r.padEnd(16)} ${String(n).padStart(7)}`);
  }
  lines.push(`    ${"total".padEnd(16)} ${String(total).padStart(7)}`);
  return lines;
}

/** The demo's printed report. */
export function formatDemo(r: DemoResult, source: string, seed: number): string[] {
  const b = r.before;
  const out = [
    `Cohort demo: ${r.users} synthetic users through filter/build/filter.wasm in the proxy-wasm host (seed ${seed})`,
    `config: ${source}`,
    "",
    `experiment ${r.experiment}, weights ${weights(r.weightsBefore)}`,
    ...versionTable(b, r.weightsBefore),
  ];
  if (r.mirror) {
    out.push(
      `  mirrored to ${r.mirror.version}: ${b.mirrored} (${pct(b.mirrored, b.participants)} of participants, target ${r.mirror.percent}%)`,
    );
  }
  out.push(
    `  outside the segment (sent to ${r.baseline}): ${b.byReason["outside-segment"] ?? 0}`,
    `  other hosts (no experiment): ${b.byReason["no-match"] ?? 0}`,
    ...reasonLines(b, r.users),
    "",
    `weight change ${weights(r.weightsBefore)} -> ${weights(r.weightsAfter)} (new pluginConfig on the same VM)`,
    ...versionTable(r.after, r.weightsAfter),
    `  users moved to ${r.rising}: ${r.movedToRising}`,
    `  users who left ${r.rising}: ${r.leftRising}${r.leftRising === 0 ? " (none: a rising version only gains users)" : ""}`,
    "",
    "Prometheus (Envoy /stats/prometheus), requests:",
    ...r.prometheus
      .split("\n")
      .filter((l) => l.includes("cohort_requests_total"))
      .map((l) => `  ${l}`),
    "",
    `guest linear memory after ${2 * r.users} requests: ${r.memoryBytes / 1024} KiB`,
  );
  return out;
}
