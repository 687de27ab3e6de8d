import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AssignmentError,
  type AssignmentTable,
  BUCKETS,
  bucketTargets,
  ownersOf,
  rebalance,
} from "../../../controller/src/core/assignment.js";

const NAMES = ["v1", "v2", "v3", "v4", "v5", "v6"];

/** Weights for a random subset (at least one positive) of up to six versions. */
const weightsArb = fc
  .uniqueArray(fc.constantFrom(...NAMES), { minLength: 1, maxLength: NAMES.length })
  .chain((names) =>
    fc
      .array(fc.integer({ min: 0, max: 100 }), { minLength: names.length, maxLength: names.length })
      .filter((ws) => ws.some((w) => w > 0))
      .map((ws) => Object.fromEntries(names.map((n, i) => [n, ws[i] as number]))),
  );

function counts(table: AssignmentTable): Map<string, number> {
  const out = new Map<string, number>();
  for (const owner of ownersOf(table)) out.set(owner, (out.get(owner) ?? 0) + 1);
  return out;
}

describe("bucketTargets", () => {
  it("splits the bucket space by weight with the leftover to the largest remainders", () => {
    expect(bucketTargets({ v1: 1, v2: 2 })).toEqual({ v1: 3333, v2: 6667 });
    expect(bucketTargets({ v1: 90, v2: 10 })).toEqual({ v1: 9000, v2: 1000 });
    expect(bucketTargets({ a: 1, b: 1, c: 1 })).toEqual({ a: 3334, b: 3333, c: 3333 });
  });

  it("refuses weights that are not non-negative integers, naming the version", () => {
    expect(() => bucketTargets({ v1: 1, v2: 1.5 })).toThrow(
      "weights.v2: must be a non-negative integer (at most 1000000), got 1.5",
    );
    expect(() => bucketTargets({ v1: 0 })).toThrow(AssignmentError);
    expect(() => bucketTargets({ v1: 0 })).toThrow("weights: must not all be 0");
  });
});

describe("rebalance", () => {
  it("lays out consecutive ranges in the order of the weights when there is no previous table", () => {
    expect(rebalance(undefined, { v1: 90, v2: 10 })).toEqual([
      { version: "v1", ranges: [[0, 9000]] },
      { version: "v2", ranges: [[9000, 10000]] },
    ]);
  });

  it("moves only the surplus of a shrinking version to the growing one", () => {
    const before = rebalance(undefined, { v1: 90, v2: 10 });
    expect(rebalance(before, { v1: 80, v2: 20 })).toEqual([
      { version: "v1", ranges: [[0, 8000]] },
      { version: "v2", ranges: [[8000, 10000]] },
    ]);
  });

  it("refuses a previous table with a gap, naming the bucket", () => {
    expect(() => rebalance([{ version: "v1", ranges: [[0, 9999]] }], { v1: 1 })).toThrow(
      "previous: bucket 9999 belongs to no version",
    );
  });

  it("covers every bucket exactly once with each version's largest-remainder share", () => {
    fc.assert(
      fc.property(fc.option(weightsArb, { nil: undefined }), weightsArb, (first, next) => {
        const previous = first === undefined ? undefined : rebalance(undefined, first);
        const table = rebalance(previous, next);
        const got = counts(table);
        const targets = bucketTargets(next);
        for (const [version, target] of Object.entries(targets)) {
          expect(got.get(version) ?? 0).toBe(target);
        }
        expect([...got.values()].reduce((a, b) => a + b, 0)).toBe(BUCKETS);
      }),
      { seed: 20261126, numRuns: 150 },
    );
  });

  it("moves exactly the mass that must move, only from shrinking to growing versions", () => {
    fc.assert(
      fc.property(weightsArb, weightsArb, (first, next) => {
        const previous = rebalance(undefined, first);
        const before = ownersOf(previous);
        const after = ownersOf(rebalance(previous, next));
        const oldCount = counts(previous);
        const targets = bucketTargets(next);
        const moves = new Set<string>();
        let moved = 0;
        for (let b = 0; b < BUCKETS; b++) {
          if (before[b] === after[b]) continue;
          moved++;
          moves.add(`${before[b]}->${after[b]}`);
        }
        for (const move of moves) {
          const [from, to] = move.split("->") as [string, string];
          expect(targets[from] ?? 0, move).toBeLessThan(oldCount.get(from) ?? 0);
          expect(targets[to] ?? 0, move).toBeGreaterThan(oldCount.get(to) ?? 0);
        }
        let mustMove = 0;
        for (const [version, n] of oldCount) mustMove += Math.max(0, n - (targets[version] ?? 0));
        expect(moved).toBe(mustMove);
      }),
      { seed: 7, numRuns: 150 },
    );
  });

  it("changes nothing when the weights do not change", () => {
    fc.assert(
      fc.property(weightsArb, weightsArb, (first, next) => {
        const table = rebalance(rebalance(undefined, first), next);
        expect(rebalance(table, next)).toEqual(table);
      }),
      { seed: 11, numRuns: 100 },
    );
  });
});
