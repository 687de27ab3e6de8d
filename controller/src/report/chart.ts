/**
 * Inline SVG line charts: one `<g class="series">` per version, one point per look, and for
 * estimates a vertical bar from the interval's lower to its upper end (clipped to the axis, as an
 * interval may be unbounded). The numbers sit in `data-` attributes so a test can read them back.
 */
import { coord, esc } from "./html.js";

export interface ChartPoint {
  x: number;
  y: number;
  lower?: number;
  upper?: number;
}

export interface ChartSeries {
  name: string;
  color: string;
  points: ChartPoint[];
}

export interface ChartOptions {
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  /** Fixed y range; by default from the points and intervals (finite ends only) and the guides. */
  yRange?: [number, number];
  /** Horizontal guide lines, e.g. an objective's limit. */
  guides?: { y: number; label: string }[];
}

const W = 640;
const H = 260;
const PAD = { left: 56, right: 16, top: 28, bottom: 40 };

function niceRange(values: number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (lo === hi) {
    lo -= Math.abs(lo) * 0.1 || 1;
    hi += Math.abs(hi) * 0.1 || 1;
  }
  const pad = (hi - lo) * 0.05;
  return [lo - pad, hi + pad];
}

function tickLabel(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a < 0.01 || a >= 1e5)) return v.toExponential(1);
  return String(Number(v.toPrecision(3)));
}

export function lineChart(o: ChartOptions): string {
  const all = o.series.flatMap((s) => s.points);
  const xs = all.map((p) => p.x);
  const [x0, x1] =
    xs.length === 0 ? [0, 1] : [Math.min(...xs), Math.max(...xs, Math.min(...xs) + 1)];
  const [y0, y1] =
    o.yRange ??
    niceRange([
      ...all.flatMap((p) => [p.y, p.lower ?? p.y, p.upper ?? p.y]),
      ...(o.guides ?? []).map((g) => g.y),
    ]);
  const px = (x: number) => PAD.left + ((x - x0) / (x1 - x0)) * (W - PAD.left - PAD.right);
  const clampY = (y: number) => Math.min(Math.max(y, y0), y1);
  const py = (y: number) =>
    PAD.top + (1 - (clampY(y) - y0) / (y1 - y0)) * (H - PAD.top - PAD.bottom);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => y0 + t * (y1 - y0));
  const axes = [
    `<line class="axis" x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}"/>`,
    `<line class="axis" x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${H - PAD.bottom}"/>`,
    ...ticks.map(
      (t) =>
        `<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${coord(py(t))}" y2="${coord(py(t))}"/>` +
        `<text class="tick" x="${PAD.left - 6}" y="${coord(py(t) + 4)}" text-anchor="end">${esc(tickLabel(t))}</text>`,
    ),
    `<text class="tick" x="${PAD.left}" y="${H - PAD.bottom + 16}">${esc(tickLabel(x0))}</text>`,
    `<text class="tick" x="${W - PAD.right}" y="${H - PAD.bottom + 16}" text-anchor="end">${esc(tickLabel(x1))}</text>`,
    `<text class="label" x="${(W + PAD.left) / 2}" y="${H - 6}" text-anchor="middle">${esc(o.xLabel)}</text>`,
    `<text class="label" x="14" y="${H / 2}" transform="rotate(-90 14 ${H / 2})" text-anchor="middle">${esc(o.yLabel)}</text>`,
  ];
  const guides = (o.guides ?? []).map(
    (g) =>
      `<g class="guide"><line x1="${PAD.left}" x2="${W - PAD.right}" y1="${coord(py(g.y))}" y2="${coord(py(g.y))}"/>` +
      `<text x="${W - PAD.right - 4}" y="${coord(py(g.y) - 4)}" text-anchor="end">${esc(g.label)}</text></g>`,
  );
  const series = o.series.map((s, i) => {
    const shift = (i - (o.series.length - 1) / 2) * 3;
    const pts = s.points.map((p) => `${coord(px(p.x) + shift)},${coord(py(p.y))}`).join(" ");
    const bars = s.points
      .filter((p) => p.lower !== undefined || p.upper !== undefined)
      .map(
        (p) =>
          `<line class="interval" data-x="${p.x}" data-lower="${p.lower ?? ""}" data-upper="${p.upper ?? ""}" ` +
          `x1="${coord(px(p.x) + shift)}" x2="${coord(px(p.x) + shift)}" y1="${coord(py(p.lower ?? p.y))}" y2="${coord(py(p.upper ?? p.y))}"/>`,
      );
    const dots = s.points.map(
      (p) =>
        `<circle class="point" data-x="${p.x}" data-y="${p.y}" cx="${coord(px(p.x) + shift)}" cy="${coord(py(p.y))}" r="2.5"/>`,
    );
    return (
      `<g class="series" data-series="${esc(s.name)}" style="color:${esc(s.color)}">` +
      `<polyline points="${pts}"/>${bars.join("")}${dots.join("")}</g>`
    );
  });
  const legend = o.series.map(
    (s, i) =>
      `<g class="legend-item" transform="translate(${PAD.left + i * 90} 12)"><rect width="10" height="10" y="-9" fill="${esc(s.color)}"/>` +
      `<text x="14">${esc(s.name)}</text></g>`,
  );
  return (
    `<figure class="chart"><figcaption>${esc(o.title)}</figcaption>` +
    `<svg id="${esc(o.id)}" data-chart="${esc(o.id)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(o.title)}">` +
    `${axes.join("")}${guides.join("")}${series.join("")}${legend.join("")}</svg></figure>`
  );
}
