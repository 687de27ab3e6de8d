import { CohortError } from "./errors.js";

/**
 * Assignment tables: the controller's exact form of a split. The filter hashes each user to one of
 * {@link BUCKETS} buckets (docs/plugin-config.md, "Assignment tables") and routes by the version
 * that owns the bucket, so which users move on a weight change is decided here, once.
 */

/** Size of the bucket space, the same constant as the filter's `BUCKETS`. */
export const BUCKETS = 10_000;

/** One entry of an experiment's `assignment`: half-open bucket ranges `[start, end)`. */
export interface AssignmentEntry {
  version: string;
  ranges: [number, number][];
}

export type AssignmentTable = AssignmentEntry[];

/** Thrown for weights or a previous table that cannot be balanced; the message names the field. */
export class AssignmentError extends CohortError {
  override readonly name = "AssignmentError";
}

/**
 * Buckets per version for `weights`, by largest remainder in exact integer arithmetic: each
 * version gets floor(w·B/S), the leftover buckets go to the largest remainders (ties: the name
 * that sorts first). The counts sum to {@link BUCKETS}.
 * @example bucketTargets({ v1: 1, v2: 2 }) // { v1: 3333, v2: 6667 }
 */
export function bucketTargets(weights: Record<string, number>): Record<string, number> {
  const names = Object.keys(weights);
  let total = 0;
  for (const name of names) {
    const w = weights[name];
    if (typeof w !== "number" || !Number.isInteger(w) || w < 0 || w > 1_000_000) {
      throw new AssignmentError(
        `weights.${name}: must be a non-negative integer (at most 1000000), got ${String(w)}`,
      );
    }
    total += w;
  }
  if (total === 0) throw new AssignmentError("weights: must not all be 0");
  const targets: Record<string, number> = {};
  const remainders: { name: string; remainder: number }[] = [];
  let given = 0;
  for (const name of names) {
    const scaled = (weights[name] ?? 0) * BUCKETS;
    targets[name] = Math.floor(scaled / total);
    given += targets[name];
    remainders.push({ name, remainder: scaled % total });
  }
  remainders.sort((a, b) => b.remainder - a.remainder || (a.name < b.name ? -1 : 1));
  for (let i = 0; i < BUCKETS - given; i++) {
    const name = (remainders[i] as { name: string }).name;
    targets[name] = (targets[name] ?? 0) + 1;
  }
  return targets;
}

/** Owner of every bucket in `table`; throws when a range is malformed, overlaps or leaves a gap. */
export function ownersOf(table: AssignmentTable): string[] {
  const owners = new Array<string | undefined>(BUCKETS).fill(undefined);
  table.forEach((entry, i) => {
    entry.ranges.forEach(([start, end], r) => {
      const field = `previous[${i}].ranges[${r}]`;
      if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > BUCKETS) {
        throw new AssignmentError(`${field}: must be [start, end) within 0..${BUCKETS}`);
      }
      if (end <= start)
        throw new AssignmentError(`${field}: must be [start, end) with start < end`);
      for (let b = start; b < end; b++) {
        if (owners[b] !== undefined) {
          throw new AssignmentError(`${field}: overlaps another range at bucket ${b}`);
        }
        owners[b] = entry.version;
      }
    });
  });
  const gap = owners.indexOf(undefined);
  if (gap >= 0) throw new AssignmentError(`previous: bucket ${gap} belongs to no version`);
  return owners as string[];
}

/** The table that gives each bucket to `owners[b]`, versions in `order`, ranges merged. */
export function tableOf(owners: string[], order: string[]): AssignmentTable {
  const ranges = new Map<string, [number, number][]>();
  for (let b = 0; b < owners.length; b++) {
    const v = owners[b] as string;
    const list = ranges.get(v) ?? [];
    const last = list[list.length - 1];
    if (last !== undefined && last[1] === b) last[1] = b + 1;
    else list.push([b, b + 1]);
    ranges.set(v, list);
  }
  return order
    .filter((v) => ranges.has(v))
    .map((version) => ({ version, ranges: ranges.get(version) ?? [] }));
}

/**
 * The assignment table for `weights` that moves as few users as possible from `previous`: a
 * shrinking version gives up exactly its surplus (its highest buckets), a growing version takes
 * exactly its deficit (the lowest free buckets), and every other bucket keeps its owner. Without
 * `previous`, versions get consecutive ranges in the order of `weights`. Versions with no
 * buckets are left out of the table. Pure and deterministic.
 * @example rebalance(undefined, { v1: 90, v2: 10 })
 * // [{ version: "v1", ranges: [[0, 9000]] }, { version: "v2", ranges: [[9000, 10000]] }]
 */
export function rebalance(
  previous: AssignmentTable | undefined,
  weights: Record<string, number>,
): AssignmentTable {
  const targets = bucketTargets(weights);
  const order = Object.keys(weights);
  const owners: (string | undefined)[] =
    previous === undefined
      ? new Array<string | undefined>(BUCKETS).fill(undefined)
      : ownersOf(previous);
  const held = new Map<string, number[]>();
  owners.forEach((v, b) => {
    if (v === undefined) return;
    const list = held.get(v);
    if (list === undefined) held.set(v, [b]);
    else list.push(b);
  });
  for (const [version, buckets] of held) {
    const surplus = buckets.length - (targets[version] ?? 0);
    for (let i = 0; i < surplus; i++) owners[buckets[buckets.length - 1 - i] as number] = undefined;
  }
  let cursor = 0;
  for (const version of order) {
    let deficit = (targets[version] ?? 0) - (held.get(version)?.length ?? 0);
    while (deficit > 0 && cursor < BUCKETS) {
      if (owners[cursor] === undefined) {
        owners[cursor] = version;
        deficit--;
      }
      cursor++;
    }
  }
  return tableOf(owners as string[], order);
}
