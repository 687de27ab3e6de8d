/**
 * RFC 7386 JSON merge patches computed from two documents, so a write sends only what changed and
 * a step that changed nothing sends nothing at all (Argo Rollouts' "skip no-op patches").
 *
 * In a merge patch `null` means "remove", so a member whose value is `null` cannot be stored: the
 * server keeps it absent. Equality here therefore treats `null` and absent as the same, and the
 * core reads an absent interval or verdict as `null`.
 */
type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Deep equality of JSON values (key order ignored). */
export function jsonEqual(a: Json, b: Json): boolean {
  if ((a ?? null) === (b ?? null)) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => (a[k] ?? null) !== null);
    const kb = Object.keys(b).filter((k) => (b[k] ?? null) !== null);
    return ka.length === kb.length && ka.every((k) => jsonEqual(a[k], b[k]));
  }
  return false;
}

/**
 * The merge patch that turns `before` into `after`: changed members, `null` for removed ones,
 * arrays whole. `undefined` when the two are equal (nothing to write).
 */
export function mergePatchOf(before: Json, after: Json): Json | undefined {
  if (jsonEqual(before, after)) return undefined;
  if (!isObject(before) || !isObject(after)) return after === undefined ? null : after;
  const patch: Record<string, Json> = {};
  for (const k of Object.keys(before))
    if ((before[k] ?? null) !== null && (after[k] ?? null) === null) patch[k] = null;
  for (const [k, v] of Object.entries(after)) {
    if ((v ?? null) === null) continue;
    const sub = mergePatchOf(before[k], v);
    if (sub !== undefined) patch[k] = sub;
  }
  return patch;
}
