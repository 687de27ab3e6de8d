/**
 * The HTML report opened in headless Chromium (Debian's `chromium`): its charts are in the DOM
 * Chromium built — one series per version, one point per look, one interval bar per look with
 * data, the intervals shrinking — and hostile names stay text.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderReport } from "../../../controller/src/report/index.js";
import { chromium } from "./chromium.js";
import { HOSTILE_HELD, HOSTILE_NAME, HOSTILE_TARGET, reportInput } from "./report-input.js";

const LOOKS = 6;

/** The markup of each `<svg data-chart=…>` in the dumped DOM, by chart id. */
function charts(dom: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of dom.matchAll(/<svg[^>]*data-chart="([^"]+)"[^>]*>([\s\S]*?)<\/svg>/g))
    out[m[1] as string] = m[2] as string;
  return out;
}

/** Each series of a chart: its name and the markup inside its `<g>`. */
function series(svg: string): { name: string; body: string }[] {
  return [...svg.matchAll(/<g class="series" data-series="([^"]+)"[^>]*>([\s\S]*?)<\/g>/g)].map(
    (m) => ({ name: m[1] as string, body: m[2] as string }),
  );
}

const count = (s: string, re: RegExp) => [...s.matchAll(re)].length;

function widths(body: string): number[] {
  return [...body.matchAll(/data-lower="([^"]*)" data-upper="([^"]*)"/g)].map(
    (m) => Number(m[2]) - Number(m[1]),
  );
}

describe("the HTML report in headless Chromium", { timeout: 120_000 }, () => {
  let dir: string;
  let dom: string;
  let hostileDom: string;
  const input = reportInput(LOOKS);
  const looks = input.history.length;
  const held = input.history.filter((h) => h.held !== undefined).length;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "cohort-report-"));
    await writeFile(join(dir, "report.html"), renderReport(input));
    dom = await chromium(join(dir, "report.html"), "dump-dom");
    const hostile = reportInput(3, HOSTILE_NAME, HOSTILE_TARGET);
    await writeFile(join(dir, "hostile.html"), renderReport(hostile));
    hostileDom = await chromium(join(dir, "hostile.html"), "dump-dom");
  }, 110_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("renders one chart for the weights and one per objective and reward", () => {
    expect(Object.keys(charts(dom))).toEqual(["weights", "metric-0", "metric-1", "metric-2"]);
  });

  it("draws the weights of each version in the split at every look, held ones included", () => {
    const s = series(charts(dom).weights as string);
    expect(s.map((x) => x.name)).toEqual(["v1", "v2"]);
    for (const x of s) expect(count(x.body, /<circle class="point"/g)).toBe(looks);
    // the y of each point is the look's weight
    const v2 = [...(s[1]?.body ?? "").matchAll(/data-y="([^"]+)"/g)].map((m) => Number(m[1]));
    expect(v2).toEqual(input.history.map((h) => h.weights.v2));
  });

  it("draws each metric per version with its interval at every look that had data", () => {
    // the dark v3 is assessed on the objectives (metric-0, metric-1) but has no reward (metric-2)
    for (const [id, names] of [
      ["metric-0", ["v1", "v2", "v3"]],
      ["metric-1", ["v1", "v2", "v3"]],
      ["metric-2", ["v1", "v2"]],
    ] as const) {
      const s = series(charts(dom)[id] as string);
      expect(s.map((x) => x.name)).toEqual(names);
      for (const x of s) {
        expect(count(x.body, /<circle class="point"/g)).toBe(looks - held);
        expect(count(x.body, /<line class="interval"/g)).toBe(looks - held);
      }
    }
  });

  it("shows the reward intervals shrinking as data comes in", () => {
    for (const x of series(charts(dom)["metric-2"] as string)) {
      const w = widths(x.body);
      for (let i = 1; i < w.length; i++) expect(w[i]).toBeLessThanOrEqual(w[i - 1] as number);
      expect(w[w.length - 1]).toBeLessThan((w[0] as number) / 2);
    }
  });

  it("marks each objective ✔, ✘ or ? as the status says and names the winner's reason", () => {
    const s = input.status;
    if (s === null) throw new Error("no status");
    for (const [v, a] of Object.entries(s.versions)) {
      const row = dom.match(new RegExp(`<tr data-version="${v}">([\\s\\S]*?)</tr>`))?.[1] ?? "";
      const marks = [...row.matchAll(/<span class="mark">(.)<\/span>/g)].map((m) => m[1]);
      expect(marks).toEqual(
        a.objectives.map((o) => ({ pass: "✔", fail: "✘", undecided: "?" })[o.status]),
      );
    }
    expect(dom).toContain(`<p class="reason">${s.winnerReason}</p>`);
  });

  it("shows the core's verdict on the dark version and its mirrored requests", () => {
    const dark = dom.match(/<p class="dark" data-version="v3" data-requests="(\d+)"/);
    expect(Number(dark?.[1])).toBe(input.observed?.v3?.requests);
    expect(input.status?.versions.v3?.role).toBe("dark");
    // 2250 mirrored requests by the last look: not enough to decide p99 ≤ 100 at 0.4% slow
    expect(input.status?.versions.v3?.validated).toBeNull();
    expect(dom).toMatch(/<p class="dark"[^>]*>[\s\S]*?it <b>is not decided yet<\/b>/);
    const row = dom.match(/<tr data-version="v3">([\s\S]*?)<\/tr>/)?.[1] ?? "";
    expect(row).toMatch(/^<th>v3 \(dark\)<\/th><td>not yet<\/td>/);
    expect(row).toContain("<td>— (dark)</td>");
  });

  it("keeps hostile names and messages as text: no element comes from them", () => {
    expect(hostileDom).not.toMatch(/<script/i);
    expect(hostileDom).not.toMatch(/<img/i);
    expect(hostileDom).not.toContain('<b id="bold">');
    expect(hostileDom).toContain("&lt;script&gt;document.title='owned'&lt;/script&gt;");
    expect(hostileDom).toContain('&lt;b id="bold"&gt;GET&lt;/b&gt; &amp; "quotes"');
    expect(hostileDom).toContain(
      "<title>Cohort report: &lt;script&gt;document.title='owned'&lt;/script&gt;</title>",
    );
    expect(HOSTILE_HELD).toContain("<b");
  });
});
