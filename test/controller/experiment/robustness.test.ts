import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import {
  ExperimentInvalid,
  parseExperiment,
  renderPath,
  validateExperiment,
} from "../../../controller/src/core/experiment/index.js";
import { abn } from "./docs.js";

const example = readFileSync(
  new URL("../../../deploy/examples/experiments/canary-mirror-segment.yaml", import.meta.url),
  "utf8",
);

/** Every path to a value inside `doc`, as keys and indexes. */
function pathsOf(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push(...pathsOf(v, [...at, i]));
    });
  } else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...at, k]));
  }
  return out;
}

function setAt(doc: unknown, at: (string | number)[], value: unknown): unknown {
  if (at.length === 0) return value;
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let node = copy;
  for (const key of at.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[at[at.length - 1] as string | number] = value;
  return copy;
}

const ROOTS = ["(document)", "apiVersion", "kind", "metadata", "spec"];

/** A problem names the document, a root field of the schema, or a key the document has. */
function namesAField(path: string, doc: unknown): boolean {
  const keys = typeof doc === "object" && doc !== null ? Object.keys(doc) : [];
  const named = (key: string) => path === key || /^[.[]/.test(path.slice(key.length));
  return (
    ROOTS.some((r) => path.startsWith(r) && named(r)) ||
    keys.some((k) => path.startsWith(renderPath([k])) && named(renderPath([k])))
  );
}

describe("validation is total", () => {
  it("never throws on any JSON value and always names a field of it", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const problems = validateExperiment(value);
        expect(problems.length).toBeGreaterThan(0);
        for (const p of problems) expect(namesAField(p.path, value), p.path).toBe(true);
      }),
      { seed: 20261126, numRuns: 300 },
    );
  });

  it("never throws when any one field of a valid experiment is replaced by any value", () => {
    const doc = abn();
    const paths = pathsOf(doc);
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 2 }), (at, value) => {
        const mutated = setAt(doc, at, value);
        for (const p of validateExperiment(mutated)) {
          expect(p.message).not.toBe("");
          expect(namesAField(p.path, mutated), p.path).toBe(true);
        }
      }),
      { seed: 7, numRuns: 1000 },
    );
  });

  it("round-trips a valid experiment through YAML with no problem", () => {
    expect(() => parseExperiment(stringify(abn()))).not.toThrow();
  });

  it("throws nothing but ExperimentInvalid for any truncation of a valid file", () => {
    for (let cut = 0; cut < example.length; cut += 7) {
      try {
        parseExperiment(example.slice(0, cut));
      } catch (e) {
        expect(e).toBeInstanceOf(ExperimentInvalid);
        expect((e as ExperimentInvalid).problems.length).toBeGreaterThan(0);
      }
    }
  });
});
