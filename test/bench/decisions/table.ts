/** Markdown tables for the benchmark's output (the same text goes into docs/benchmarks.md). */
export function markdownTable(header: string[], rows: string[][], right: boolean[]): string {
  const align = right.map((r) => (r ? "---:" : "---"));
  return [header, align, ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

export const pct = (x: number): string => (Number.isNaN(x) ? "—" : `${(100 * x).toFixed(1)}%`);

export function requests(x: number, horizon: number): string {
  if (Number.isNaN(x)) return "—";
  if (!Number.isFinite(x)) return `> ${horizon.toLocaleString("en-US")}`;
  return Math.round(x).toLocaleString("en-US");
}
