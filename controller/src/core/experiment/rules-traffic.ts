/** Rules on traffic: segment conditions that test exactly one thing, and a mirror outside the split. */
import type { RawProblem } from "./check-schema.js";
import { isRecord, type Json, listOf, recordOf, stringOf } from "./json.js";
import { type FieldPath, renderPath } from "./problems.js";

const TESTS = ["exact", "prefix", "suffix", "contains", "oneOf", "present", "absent"];

const NODES = ["all", "any", "not"];

function conditionRules(condition: Json, at: FieldPath, out: RawProblem[]): void {
  if (NODES.some((k) => condition[k] !== undefined)) {
    segmentRules(condition, at, out);
    return;
  }
  const sources = ["header", "cookie"].filter((k) => condition[k] !== undefined);
  if (sources.length === 0) out.push({ at, message: "needs header or cookie" });
  if (sources.length === 2) {
    out.push({ at, message: "has both header and cookie; a condition tests one" });
  }
  const tests = TESTS.filter((k) => condition[k] !== undefined);
  if (tests.length === 0) {
    out.push({ at, message: `needs one test: ${TESTS.join(", ")}` });
  } else if (tests.length > 1) {
    out.push({
      at,
      message: `has ${tests.length} tests (${tests.join(", ")}); use one per condition and combine conditions with all or any`,
    });
  }
  for (const flag of ["present", "absent"]) {
    if (condition[flag] === false) {
      const other = flag === "present" ? "absent" : "present";
      out.push({ at: [...at, flag], message: `must be true (write ${other}: true instead)` });
    }
  }
}

function segmentRules(segment: Json, at: FieldPath, out: RawProblem[]): void {
  const nodes = NODES.filter((k) => segment[k] !== undefined);
  if (nodes.length === 0) {
    out.push({ at, message: "needs all or any (a list of conditions) or not (one condition)" });
  } else if (nodes.length > 1) {
    out.push({
      at,
      message: `has ${nodes.join(" and ")}; use exactly one of all, any, not and nest the others`,
    });
  }
  for (const key of ["all", "any"]) {
    listOf(segment[key]).forEach((condition, i) => {
      if (isRecord(condition)) conditionRules(condition, [...at, key, i], out);
    });
  }
  if (isRecord(segment.not)) conditionRules(segment.not, [...at, "not"], out);
}

function mirrorRules(spec: Json, traffic: Json): RawProblem[] {
  const mirror = stringOf(recordOf(traffic.mirror).version);
  if (mirror === undefined) return [];
  const split: [FieldPath, unknown][] = [[["spec", "baseline"], spec.baseline]];
  listOf(spec.candidates).forEach((c, i) => {
    split.push([["spec", "candidates", i], c]);
  });
  const clash = split.find(([, v]) => recordOf(v).name === mirror);
  if (clash === undefined) return [];
  return [
    {
      at: ["spec", "traffic", "mirror", "version"],
      message: `${mirror} is in the split (${renderPath(clash[0])}); the mirror version must be a separate version that only gets copies`,
    },
  ];
}

export function trafficRules(spec: Json): RawProblem[] {
  const traffic = recordOf(spec.traffic);
  const out = mirrorRules(spec, traffic);
  if (isRecord(traffic.segment)) segmentRules(traffic.segment, ["spec", "traffic", "segment"], out);
  return out;
}
