import { JsonValue } from "../json/value";
import { at, Check, join } from "./check";
import { BUCKETS, Version, versionIndex } from "./types";

const UNASSIGNED: u8 = 0xff;
const ENTRY_KEYS: string[] = ["version", "ranges"];

/**
 * Validates an assignment table — `[{version, ranges: [[start, end), ...]}, ...]` — and expands it
 * to one version index per bucket. Every bucket of 0..BUCKETS must belong to exactly one version.
 */
export function parseAssignment(
  v: JsonValue,
  path: string,
  versions: Version[],
  check: Check,
): Uint8Array | null {
  const entries = check.array(v, path, 1, versions.length);
  if (entries === null) return null;
  const table = new Uint8Array(BUCKETS);
  table.fill(UNASSIGNED);
  const seen = new Array<bool>(versions.length);
  for (let i = 0; i < entries.length; i++) {
    const entryPath = at(path, i);
    const entry = unchecked(entries[i]);
    if (!check.object(entry, entryPath, ENTRY_KEYS)) return null;
    const nameValue = entry.get("version");
    const rangesValue = entry.get("ranges");
    if (nameValue === null || rangesValue === null) {
      check.fail(entryPath, "must have version and ranges");
      return null;
    }
    const name = check.string(nameValue, join(entryPath, "version"));
    if (name === null) return null;
    const index = versionIndex(versions, name);
    if (index < 0) {
      check.fail(join(entryPath, "version"), 'names no version of the experiment: "' + name + '"');
      return null;
    }
    if (seen[index]) {
      check.fail(join(entryPath, "version"), 'lists "' + name + '" a second time');
      return null;
    }
    seen[index] = true;
    const rangesPath = join(entryPath, "ranges");
    const ranges = check.array(rangesValue, rangesPath, 0, BUCKETS);
    if (ranges === null) return null;
    for (let r = 0; r < ranges.length; r++) {
      const rangePath = at(rangesPath, r);
      const pair = check.array(unchecked(ranges[r]), rangePath, 2, 2);
      if (pair === null) return null;
      const problem = "must be [start, end) with 0 <= start < end <= " + BUCKETS.toString();
      const start = <i32>check.integer(unchecked(pair[0]), rangePath, 0, BUCKETS - 1, problem);
      const end = <i32>check.integer(unchecked(pair[1]), rangePath, 1, BUCKETS, problem);
      if (check.failed) return null;
      if (end <= start) {
        check.fail(rangePath, problem);
        return null;
      }
      for (let b = start; b < end; b++) {
        if (unchecked(table[b]) != UNASSIGNED) {
          check.fail(rangePath, "overlaps another range at bucket " + b.toString());
          return null;
        }
        unchecked((table[b] = <u8>index));
      }
    }
  }
  for (let b = 0; b < BUCKETS; b++) {
    if (unchecked(table[b]) == UNASSIGNED) {
      check.fail(path, "bucket " + b.toString() + " belongs to no version");
      return null;
    }
  }
  return table;
}
