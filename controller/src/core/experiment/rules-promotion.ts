/**
 * Rules on promotion: the backend named by `kind` has its settings and no other backend's, each
 * backend has something to do, and every template names a placeholder every version can fill.
 */
import type { RawProblem } from "./check-schema.js";
import { isRecord, type Json, listOf, recordOf, stringOf } from "./json.js";
import type { FieldPath } from "./problems.js";

/** Placeholders every promotion template may use, whatever the version's variables. */
export const PROMOTION_BUILTINS = ["version", "name", "namespace"] as const;

const PLACEHOLDER = /\{\{\s*(.*?)\s*\}\}/g;
const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * The placeholders of a template, in order (`"{{ a }}-{{b}}"` → `["a", "b"]`), or a problem when
 * one is malformed or unclosed.
 */
export function placeholdersOf(template: string): { names: string[]; problem?: string } {
  if (template.replace(PLACEHOLDER, "").includes("{{")) {
    return { names: [], problem: `has an unclosed {{ in ${JSON.stringify(template)}` };
  }
  const names: string[] = [];
  for (const m of template.matchAll(PLACEHOLDER)) {
    const key = m[1] ?? "";
    if (!IDENT.test(key)) return { names, problem: `has a malformed placeholder ${m[0]}` };
    names.push(key);
  }
  return { names };
}

const BACKENDS = ["kustomize", "helm", "command"] as const;

/** Every template string of the promotion settings, with where it sits. */
function templatesOf(promotion: Json): [FieldPath, string][] {
  const base: FieldPath = ["spec", "promotion"];
  const out: [FieldPath, string][] = [];
  const add = (at: FieldPath, v: unknown) => {
    if (typeof v === "string") out.push([at, v]);
  };
  const k = recordOf(promotion.kustomize);
  listOf(k.images).forEach((image, i) => {
    for (const f of ["newName", "newTag", "digest"]) {
      add([...base, "kustomize", "images", i, f], recordOf(image)[f]);
    }
  });
  add([...base, "kustomize", "nameSuffix"], k.nameSuffix);
  const h = recordOf(promotion.helm);
  for (const [key, v] of Object.entries(recordOf(h.values)))
    add([...base, "helm", "values", key], v);
  listOf(h.args).forEach((v, i) => {
    add([...base, "helm", "args", i], v);
  });
  const c = recordOf(promotion.command);
  listOf(c.args).forEach((v, i) => {
    add([...base, "command", "args", i], v);
  });
  for (const [key, v] of Object.entries(recordOf(c.env))) add([...base, "command", "env", key], v);
  return out;
}

/** The versions that may be promoted, with their variable names. */
function versionVariables(spec: Json): [string, Set<string>][] {
  return [spec.baseline, ...listOf(spec.candidates)].filter(isRecord).map((v) => {
    return [stringOf(v.name) ?? "?", new Set(Object.keys(recordOf(v.variables)))];
  });
}

function templateRules(spec: Json, promotion: Json): RawProblem[] {
  const out: RawProblem[] = [];
  const versions = versionVariables(spec);
  for (const [at, template] of templatesOf(promotion)) {
    const { names, problem } = placeholdersOf(template);
    if (problem !== undefined) {
      out.push({ at, message: problem });
      continue;
    }
    for (const name of names) {
      if ((PROMOTION_BUILTINS as readonly string[]).includes(name)) continue;
      const lacking = versions.filter(([, vars]) => !vars.has(name)).map(([v]) => v);
      if (lacking.length > 0) {
        out.push({
          at,
          message: `uses {{ ${name} }}, which is not a variable of ${lacking.join(", ")}; every version that can win needs it (or use ${PROMOTION_BUILTINS.join(", ")})`,
        });
      }
    }
  }
  return out;
}

function backendRules(kind: string, settings: Json, at: FieldPath): RawProblem[] {
  if (kind === "kustomize" && settings.images === undefined && settings.nameSuffix === undefined) {
    return [
      {
        at,
        message: "sets nothing; give images or nameSuffix so the winner is in the kustomization",
      },
    ];
  }
  if (kind === "helm") {
    const out: RawProblem[] = [];
    const release = settings.release !== undefined;
    const chart = settings.chart !== undefined;
    if (release !== chart) {
      out.push({
        at: [...at, release ? "chart" : "release"],
        message:
          "is required with " +
          (release ? "release" : "chart") +
          " (helm upgrade --install RELEASE CHART)",
      });
    }
    if (!release && !chart && settings.valuesFile === undefined) {
      out.push({
        at,
        message:
          "does nothing; give valuesFile, or release and chart to run helm upgrade --install",
      });
    }
    if (settings.valuesFile !== undefined && settings.values === undefined) {
      out.push({
        at: [...at, "values"],
        message: "is required with valuesFile (what to write into it)",
      });
    }
    return out;
  }
  return [];
}

export function promotionRules(spec: Json): RawProblem[] {
  if (!isRecord(spec.promotion)) return [];
  const promotion = spec.promotion;
  const kind = stringOf(promotion.kind) ?? "none";
  const out: RawProblem[] = [];
  for (const backend of BACKENDS) {
    const at: FieldPath = ["spec", "promotion", backend];
    if (backend === kind) {
      if (!isRecord(promotion[backend])) {
        out.push({ at, message: `is required with kind: ${kind}` });
      } else {
        out.push(...backendRules(kind, promotion[backend], at));
      }
    } else if (promotion[backend] !== undefined) {
      out.push({
        at,
        message: `is set but kind is ${kind}; set kind: ${backend} or remove it`,
      });
    }
  }
  out.push(...templateRules(spec, promotion));
  return out;
}
