import type { KubeObject } from "./resource-kinds.js";
import { badRequest } from "./status.js";

/** A parsed `labelSelector` / `fieldSelector`: true when an object matches. */
export type Selector = (obj: KubeObject) => boolean;

const everything: Selector = () => true;

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(cur);
      cur = "";
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

/**
 * Label selectors as `labels.Parse` reads them: `k=v`, `k==v`, `k!=v`, `k in (a,b)`,
 * `k notin (a,b)`, `k` (exists) and `!k` (does not exist), joined by commas (AND).
 */
export function parseLabelSelector(text: string | null): Selector {
  if (text === null || text.trim() === "") return everything;
  const reqs = splitTopLevel(text).map((req): Selector => {
    const set = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(req);
    if (set) {
      const [, key = "", op, list = ""] = set;
      const values = new Set(list.split(",").map((v) => v.trim()));
      return (o) => {
        const v = o.metadata?.labels?.[key];
        return op === "in" ? v !== undefined && values.has(v) : v === undefined || !values.has(v);
      };
    }
    const eq = /^([^\s!=]+)\s*(==|=|!=)\s*([^\s]*)$/.exec(req);
    if (eq) {
      const [, key = "", op, value = ""] = eq;
      return (o) => {
        const v = o.metadata?.labels?.[key];
        return op === "!=" ? v !== value : v === value;
      };
    }
    const exists = /^(!?)([^\s!=(),]+)$/.exec(req);
    if (exists) {
      const [, not, key = ""] = exists;
      return (o) => (o.metadata?.labels?.[key] !== undefined) !== (not === "!");
    }
    throw badRequest(
      `unable to parse requirement: found '${req}', expected: in, notin, =, ==, !=, gt, lt`,
    );
  });
  return (o) => reqs.every((r) => r(o));
}

function fieldValue(obj: KubeObject, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split(".")) {
    cur =
      typeof cur === "object" && cur !== null ? (cur as Record<string, unknown>)[part] : undefined;
  }
  return cur === undefined || cur === null ? "" : String(cur);
}

/**
 * Field selectors (`k=v`, `k==v`, `k!=v`, comma = AND) over the fields the resource supports:
 * metadata.name and metadata.namespace everywhere, plus the kind's own; anything else is the
 * 400 "field label not supported" the real server gives.
 */
export function parseFieldSelector(
  text: string | null,
  extraFields: readonly string[] = [],
): Selector {
  if (text === null || text.trim() === "") return everything;
  const allowed = new Set(["metadata.name", "metadata.namespace", ...extraFields]);
  const reqs = splitTopLevel(text).map((req): Selector => {
    const m = /^([^!=]+?)\s*(==|=|!=)\s*(.*)$/.exec(req);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${req}'`);
    const [, field = "", op, value = ""] = m;
    if (!allowed.has(field)) {
      throw badRequest(`field label not supported: ${field}`);
    }
    return (o) => (op === "!=" ? fieldValue(o, field) !== value : fieldValue(o, field) === value);
  });
  return (o) => reqs.every((r) => r(o));
}
