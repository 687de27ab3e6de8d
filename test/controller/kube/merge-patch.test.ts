import { describe, expect, it } from "vitest";
import { jsonEqual, mergePatchOf } from "../../../controller/src/kube/merge-patch.js";

/** RFC 7386 MergePatch(target, patch), the server's side, to check patches round-trip. */
function apply(target: unknown, patch: unknown): unknown {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> =
    typeof target === "object" && target !== null && !Array.isArray(target)
      ? { ...(target as Record<string, unknown>) }
      : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = apply(out[k], v);
  }
  return out;
}

describe("mergePatchOf", () => {
  it("sends only what changed, null for what went away, arrays whole", () => {
    const before = {
      phase: "Running",
      iteration: 1,
      weights: { v1: 90, v2: 10 },
      actions: [1],
      gone: "x",
    };
    const after = { phase: "Running", iteration: 2, weights: { v1: 70, v2: 30 }, actions: [1, 2] };
    const patch = mergePatchOf(before, after);
    expect(patch).toEqual({
      iteration: 2,
      weights: { v1: 70, v2: 30 },
      actions: [1, 2],
      gone: null,
    });
    expect(apply(before, patch)).toEqual(after);
  });

  it("has nothing to send when nothing changed, whatever the key order", () => {
    expect(
      mergePatchOf({ a: 1, b: { c: [1, { d: 2 }] } }, { b: { c: [1, { d: 2 }] }, a: 1 }),
    ).toBeUndefined();
  });

  it("treats null and absent alike, since a merge patch cannot store null", () => {
    const stored = { winner: "v2", versions: { v1: { validated: true } } };
    const computed = {
      winner: "v2",
      versions: { v1: { validated: true, value: null } },
      extra: null,
    };
    expect(jsonEqual(stored, computed)).toBe(true);
    expect(mergePatchOf(stored, computed)).toBeUndefined();
    const cleared = { winner: null, versions: { v1: { validated: true } } };
    expect(mergePatchOf(stored, cleared)).toEqual({ winner: null });
    expect(apply(stored, mergePatchOf(stored, cleared))).toEqual({
      versions: { v1: { validated: true } },
    });
  });
});
