/**
 * The two patch formats the API server applies to any resource: JSON merge patch (RFC 7386) and
 * JSON patch (RFC 6902, including `test`). Errors carry the messages of evanphx/json-patch, the
 * library the API server uses, so a client matching on them sees the same text.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON patch that could not be applied; the server answers 422 with this message. */
export class PatchApplyError extends Error {
  override readonly name = "PatchApplyError";
}

function isObject(v: unknown): v is { [key: string]: Json } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function clone<T>(v: T): T {
  return structuredClone(v);
}

/** RFC 7386: objects merge key by key, `null` deletes, anything else (arrays too) replaces. */
export function mergePatch(target: unknown, patch: unknown): Json {
  if (!isObject(patch)) return clone(patch as Json);
  const out: { [key: string]: Json } = isObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

export interface JsonPatchOp {
  op: "add" | "remove" | "replace" | "move" | "copy" | "test";
  path: string;
  from?: string;
  value?: Json;
}

function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw new PatchApplyError(`invalid JSON pointer: "${pointer}"`);
  return pointer
    .slice(1)
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

interface Slot {
  parent: Json[] | { [key: string]: Json };
  key: string;
}

function locate(doc: Json, pointer: string, op: string): Slot {
  const tokens = parsePointer(pointer);
  const last = tokens.pop();
  if (last === undefined) throw new PatchApplyError(`${op} operation does not apply: empty path`);
  let cur: Json = doc;
  for (const token of tokens) {
    const next: Json | undefined = Array.isArray(cur)
      ? cur[Number(token)]
      : isObject(cur)
        ? cur[token]
        : undefined;
    if (next === undefined) {
      throw new PatchApplyError(
        `${op} operation does not apply: doc is missing path: "${pointer}": missing value`,
      );
    }
    cur = next;
  }
  if (!Array.isArray(cur) && !isObject(cur)) {
    throw new PatchApplyError(
      `${op} operation does not apply: doc is missing path: "${pointer}": missing value`,
    );
  }
  return { parent: cur, key: last };
}

function arrayIndex(arr: Json[], key: string, forInsert: boolean, pointer: string): number {
  if (forInsert && key === "-") return arr.length;
  if (!/^(0|[1-9][0-9]*)$/.test(key))
    throw new PatchApplyError(`invalid array index "${key}" in "${pointer}"`);
  const i = Number(key);
  const max = forInsert ? arr.length : arr.length - 1;
  if (i > max)
    throw new PatchApplyError(`Unable to access invalid index: ${i}: invalid index referenced`);
  return i;
}

function get(doc: Json, pointer: string, op: string): Json {
  if (pointer === "") return doc;
  const { parent, key } = locate(doc, pointer, op);
  const v = Array.isArray(parent) ? parent[arrayIndex(parent, key, false, pointer)] : parent[key];
  if (v === undefined) {
    throw new PatchApplyError(
      `${op} operation does not apply: doc is missing key: ${pointer}: missing value`,
    );
  }
  return v;
}

function add(doc: Json, pointer: string, value: Json): Json {
  if (pointer === "") return value;
  const { parent, key } = locate(doc, pointer, "add");
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true, pointer), 0, value);
  else parent[key] = value;
  return doc;
}

function replace(doc: Json, pointer: string, value: Json): Json {
  get(doc, pointer, "replace");
  if (pointer === "") return value;
  const { parent, key } = locate(doc, pointer, "replace");
  if (Array.isArray(parent)) parent[arrayIndex(parent, key, false, pointer)] = value;
  else parent[key] = value;
  return doc;
}

function remove(doc: Json, pointer: string, op = "remove"): Json {
  const { parent, key } = locate(doc, pointer, op);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, false, pointer), 1);
  else {
    if (!(key in parent)) {
      throw new PatchApplyError(
        `${op} operation does not apply: doc is missing key: ${pointer}: missing value`,
      );
    }
    delete parent[key];
  }
  return doc;
}

/** Deep equality of JSON values (key order ignored), as RFC 6902 `test` defines it. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** Applies the operations in order to a copy of `target`; any failure rejects the whole patch. */
export function jsonPatch(target: unknown, ops: unknown): Json {
  if (!Array.isArray(ops))
    throw new PatchApplyError(
      "json: cannot unmarshal object into Go value of type jsonpatch.Patch",
    );
  let doc = clone(target as Json);
  for (const raw of ops as JsonPatchOp[]) {
    const value = raw.value === undefined ? undefined : clone(raw.value);
    switch (raw.op) {
      case "add":
        doc = add(doc, raw.path, value ?? null);
        break;
      case "remove":
        doc = remove(doc, raw.path);
        break;
      case "replace":
        doc = replace(doc, raw.path, value ?? null);
        break;
      case "move": {
        const v = get(doc, raw.from ?? "", "move");
        doc = add(remove(doc, raw.from ?? "", "move"), raw.path, v);
        break;
      }
      case "copy":
        doc = add(doc, raw.path, clone(get(doc, raw.from ?? "", "copy")));
        break;
      case "test": {
        let actual: Json | undefined;
        try {
          actual = get(doc, raw.path, "test");
        } catch {
          actual = undefined;
        }
        if (!jsonEqual(actual, value ?? null)) {
          throw new PatchApplyError(`testing value ${raw.path} failed: test failed`);
        }
        break;
      }
      default:
        throw new PatchApplyError(`Unexpected kind: ${String((raw as { op?: unknown }).op)}`);
    }
  }
  return doc;
}
