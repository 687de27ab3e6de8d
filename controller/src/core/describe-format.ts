/** Number and interval formatting shared by the describe table and the explanations. */
import type { Interval } from "./stats/interval.js";

/** Three significant digits, no exponent for ordinary magnitudes: 0.00213, 31.5, 20000. */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return "–";
  if (x === Number.POSITIVE_INFINITY) return "∞";
  if (x === Number.NEGATIVE_INFINITY) return "−∞";
  if (Number.isInteger(x) || Math.abs(x) >= 1000) return String(Math.round(x));
  return String(Number(x.toPrecision(3)));
}

/** "0.002 [0.0011, 0.0034]", or "no data". */
export function formatInterval(i: Interval | null | undefined): string {
  if (i === null || i === undefined) return "no data";
  const est = Number.isNaN(i.estimate) ? "–" : formatNumber(i.estimate);
  return `${est} [${formatNumber(i.lower)}, ${formatNumber(i.upper)}]`;
}

/** A difference with its sign: "+0.0021 [+0.0004, +0.0038]". */
export function formatDifference(i: Interval | null | undefined): string {
  if (i === null || i === undefined) return "no data";
  const signed = (x: number) => (x > 0 ? `+${formatNumber(x)}` : formatNumber(x));
  return `${signed(i.estimate)} [${signed(i.lower)}, ${signed(i.upper)}]`;
}
