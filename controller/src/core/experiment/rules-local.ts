/** Rules on the local-mode sections: urls a sidecar can use, a mirror url only with a mirror, a usable header mix. */
import type { RawProblem } from "./check-schema.js";
import { isRecord, type Json, listOf, numberOf, recordOf, stringOf } from "./json.js";
import type { FieldPath } from "./problems.js";

/** What the sidecar accepts as a cluster: `http://host:port`, no path. */
const UPSTREAM_URL = /^http:\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?\/?$/;

function urlProblem(value: unknown, at: FieldPath): RawProblem[] {
  const url = stringOf(value);
  if (url === undefined || UPSTREAM_URL.test(url)) return [];
  return [
    { at, message: `must be http://host:port (no path, no https), not ${JSON.stringify(url)}` },
  ];
}

function headerMix(load: Json): RawProblem[] {
  const out: RawProblem[] = [];
  listOf(load.headers).forEach((h, i) => {
    const values = recordOf(recordOf(h).values);
    const weights = Object.values(values).map(numberOf);
    if (!weights.some((w) => w !== undefined && w > 0))
      out.push({
        at: ["spec", "load", "headers", i, "values"],
        message: "needs at least one value with a weight above 0",
      });
  });
  return out;
}

/** The rules on `spec.load`, `spec.sidecar` and the versions' urls. */
export function localRules(spec: Json): RawProblem[] {
  const out: RawProblem[] = [];
  out.push(...urlProblem(recordOf(spec.baseline).url, ["spec", "baseline", "url"]));
  listOf(spec.candidates).forEach((c, i) => {
    out.push(...urlProblem(recordOf(c).url, ["spec", "candidates", i, "url"]));
  });
  const sidecar = recordOf(spec.sidecar);
  out.push(...urlProblem(sidecar.mirrorUrl, ["spec", "sidecar", "mirrorUrl"]));
  if (sidecar.mirrorUrl !== undefined && !isRecord(recordOf(spec.traffic).mirror))
    out.push({
      at: ["spec", "sidecar", "mirrorUrl"],
      message: "is only used with spec.traffic.mirror; add the mirror or remove mirrorUrl",
    });
  if (isRecord(spec.load)) out.push(...headerMix(spec.load));
  return out;
}
