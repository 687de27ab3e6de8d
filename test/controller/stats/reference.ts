import { readFileSync } from "node:fs";
import { expect } from "vitest";

/**
 * Reference values computed outside our code by test/fixtures/stats/reference.py (SciPy from
 * Debian's /usr/bin/python3, R via Rscript). Regenerate with:
 *   /usr/bin/python3 test/fixtures/stats/reference.py > test/fixtures/stats/reference.json
 */
// biome-ignore lint/suspicious/noExplicitAny: rows are heterogeneous tuples read from JSON
export type Row = any[];

export const reference: Record<string, Row[]> = JSON.parse(
  readFileSync(new URL("../../fixtures/stats/reference.json", import.meta.url), "utf8"),
);

/** Rows of one table of the reference file; fails loudly if the table is missing. */
export function rows(name: string): Row[] {
  const table = reference[name];
  if (!table || table.length === 0) throw new Error(`reference.json has no table ${name}`);
  return table;
}

/** |actual − expected| ≤ relative·|expected| + absolute (and both infinite/NaN alike). */
export function expectClose(actual: number, expected: number, relative: number, absolute = 0) {
  if (!Number.isFinite(expected)) {
    expect(actual).toBe(expected);
    return;
  }
  const tolerance = relative * Math.abs(expected) + absolute;
  expect(
    Math.abs(actual - expected),
    `${actual} vs ${expected} (tolerance ${tolerance})`,
  ).toBeLessThanOrEqual(tolerance);
}

/** {@link expectClose} element by element, with the same length. */
export function expectAllClose(
  actual: number[],
  expected: number[],
  relative: number,
  absolute = 0,
) {
  expect(actual).toHaveLength(expected.length);
  for (let i = 0; i < actual.length; i++) {
    expectClose(actual[i] as number, expected[i] as number, relative, absolute);
  }
}
