import { JsonKind, JsonValue } from "../json/value";

/**
 * Collects the first validation problem as "<path>: <problem>", e.g.
 * `experiments[0].versions[1].weight: must be a non-negative integer`.
 */
export class Check {
  error: string = "";

  get failed(): bool {
    return this.error.length > 0;
  }

  fail(path: string, problem: string): void {
    if (this.error.length == 0) this.error = path.length > 0 ? path + ": " + problem : problem;
  }

  /** True when `v` is an object with no keys outside `allowed`; reports the first stray key. */
  object(v: JsonValue, path: string, allowed: string[]): bool {
    if (v.kind != JsonKind.Obj) {
      this.fail(path, "must be an object, not " + v.kindName());
      return false;
    }
    for (let i = 0; i < v.keys.length; i++) {
      const key = unchecked(v.keys[i]);
      if (!allowed.includes(key)) {
        this.fail(join(path, key), "unknown field (allowed: " + allowed.join(", ") + ")");
        return false;
      }
    }
    return true;
  }

  /** The string at `v`, or null (reported) when it is not a string. */
  string(v: JsonValue, path: string): string | null {
    if (v.kind != JsonKind.Str) {
      this.fail(path, "must be a string, not " + v.kindName());
      return null;
    }
    return v.str;
  }

  /** The items of the array at `v` when it has `min`..`max` of them, else null (reported). */
  array(v: JsonValue, path: string, min: i32, max: i32): JsonValue[] | null {
    if (v.kind != JsonKind.Arr) {
      this.fail(path, "must be an array, not " + v.kindName());
      return null;
    }
    if (v.items.length < min) {
      this.fail(path, "must have at least " + min.toString() + (min == 1 ? " item" : " items"));
      return null;
    }
    if (v.items.length > max) {
      this.fail(path, "must have at most " + max.toString() + " items");
      return null;
    }
    return v.items;
  }

  /** The integer at `v` when it lies in `min`..`max`, else `fallback` (reported). */
  integer(v: JsonValue, path: string, min: i64, max: i64, problem: string): i64 {
    if (v.kind != JsonKind.Num) {
      this.fail(path, problem);
      return min;
    }
    const n = v.num;
    if (!isFinite(n) || n != Math.floor(n) || n < <f64>min || n > <f64>max) {
      this.fail(path, problem);
      return min;
    }
    // Checked above: with nontrapping-f2i disabled, converting NaN or an out-of-range f64 traps.
    return <i64>n;
  }
}

/** `path.key`, or `key` at the top level. */
export function join(path: string, key: string): string {
  return path.length == 0 ? key : path + "." + key;
}

/** `path[index]`. */
export function at(path: string, index: i32): string {
  return path + "[" + index.toString() + "]";
}
