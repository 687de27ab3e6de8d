/** A plain text table with a header row, like the ones `iter8ctl describe` prints. */

/** Rows of cells; the first row is the header. Columns are padded to their widest cell. */
export function renderTable(rows: string[][]): string {
  const width = (s: string) => [...s].length;
  const columns = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) =>
    Math.max(...rows.map((r) => width(r[c] ?? ""))),
  );
  const line = `+${widths.map((w) => "-".repeat(w + 2)).join("+")}+`;
  const row = (r: string[]) =>
    `|${widths.map((w, c) => ` ${(r[c] ?? "") + " ".repeat(w - width(r[c] ?? ""))} `).join("|")}|`;
  const [head, ...body] = rows;
  return [line, row(head ?? []), line, ...body.map(row), line].join("\n");
}
