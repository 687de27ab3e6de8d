import { checkAgainst, type RawProblem } from "./check-schema.js";
import { isRecord } from "./json.js";
import { type Problem, renderPath } from "./problems.js";
import { criteriaRules } from "./rules-criteria.js";
import { localRules } from "./rules-local.js";
import { metricRules } from "./rules-metrics.js";
import { promotionRules } from "./rules-promotion.js";
import { trafficRules } from "./rules-traffic.js";
import { versionRules } from "./rules-versions.js";
import { Experiment } from "./schema.js";

/** Every problem of a document, paths unrendered: the schema first, then the cross-field rules. */
export function findProblems(doc: unknown): RawProblem[] {
  const out: RawProblem[] = [];
  checkAgainst(Experiment, doc, [], out);
  if (!isRecord(doc) || !isRecord(doc.spec)) return out;
  const spec = doc.spec;
  out.push(
    ...versionRules(spec),
    ...criteriaRules(spec),
    ...metricRules(spec),
    ...trafficRules(spec),
    ...localRules(spec),
    ...promotionRules(spec),
  );
  return out;
}

/**
 * Checks an Experiment document (already parsed from YAML/JSON) against the schema and every
 * cross-field rule; returns all problems, each naming its field. Empty means valid.
 */
export function validateExperiment(doc: unknown): Problem[] {
  return findProblems(doc).map((p) => ({ path: renderPath(p.at), message: p.message }));
}
