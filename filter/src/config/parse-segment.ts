import { JsonKind, JsonValue } from "../json/value";
import { at, Check, join } from "./check";
import { isCookieName, isHeaderName, MAX_VALUE_LENGTH } from "./syntax";
import { Condition, ConditionKind, Operator, Source } from "./types";

/** Most nodes and nesting levels of one segment, so that evaluating it stays cheap. */
export const MAX_SEGMENT_NODES: i32 = 256;
export const MAX_SEGMENT_DEPTH: i32 = 8;
const MAX_ONE_OF: i32 = 256;

const NODE_KEYS: string[] = ["all", "any", "not"];
const LEAF_KEYS: string[] = [
  "header",
  "cookie",
  "exact",
  "prefix",
  "suffix",
  "contains",
  "oneOf",
  "present",
  "absent",
];
const OPERATORS: string[] = ["exact", "prefix", "suffix", "contains", "oneOf", "present", "absent"];

class Budget {
  nodes: i32 = 0;
}

/** Validates a segment condition (docs/plugin-config.md, "Segments"). */
export function parseSegment(v: JsonValue, path: string, check: Check): Condition | null {
  return parseNode(v, path, check, 0, new Budget());
}

function parseNode(
  v: JsonValue,
  path: string,
  check: Check,
  depth: i32,
  budget: Budget,
): Condition | null {
  if (v.kind != JsonKind.Obj) {
    check.fail(path, "must be an object, not " + v.kindName());
    return null;
  }
  budget.nodes++;
  if (budget.nodes > MAX_SEGMENT_NODES) {
    check.fail(path, "segment has more than " + MAX_SEGMENT_NODES.toString() + " conditions");
    return null;
  }
  if (depth >= MAX_SEGMENT_DEPTH) {
    check.fail(path, "nested deeper than " + MAX_SEGMENT_DEPTH.toString() + " levels");
    return null;
  }
  const all = v.get("all");
  const any = v.get("any");
  const not = v.get("not");
  if (all !== null || any !== null || not !== null) {
    if (!check.object(v, path, NODE_KEYS)) return null;
    if (v.keys.length != 1) {
      check.fail(path, "must have exactly one of all, any, not");
      return null;
    }
    const node = new Condition();
    if (not !== null) {
      node.kind = ConditionKind.Not;
      const child = parseNode(not, join(path, "not"), check, depth + 1, budget);
      if (child === null) return null;
      node.children.push(child);
      return node;
    }
    const key = all !== null ? "all" : "any";
    node.kind = all !== null ? ConditionKind.All : ConditionKind.Any;
    const listPath = join(path, key);
    const items = check.array(all !== null ? all : changetype<JsonValue>(any), listPath, 1, 64);
    if (items === null) return null;
    for (let i = 0; i < items.length; i++) {
      const child = parseNode(unchecked(items[i]), at(listPath, i), check, depth + 1, budget);
      if (child === null) return null;
      node.children.push(child);
    }
    return node;
  }
  return parseLeaf(v, path, check);
}

function parseLeaf(v: JsonValue, path: string, check: Check): Condition | null {
  if (!check.object(v, path, LEAF_KEYS)) return null;
  const leaf = new Condition();
  leaf.kind = ConditionKind.Leaf;
  const header = v.get("header");
  const cookie = v.get("cookie");
  if ((header === null) == (cookie === null)) {
    check.fail(path, "must name exactly one of header, cookie (or be all, any, not)");
    return null;
  }
  if (header !== null) {
    const name = check.string(header, join(path, "header"));
    if (name === null) return null;
    if (!isHeaderName(name)) {
      check.fail(join(path, "header"), "must be a lower-case header name");
      return null;
    }
    leaf.source = Source.Header;
    leaf.name = name;
  } else {
    const name = check.string(changetype<JsonValue>(cookie), join(path, "cookie"));
    if (name === null) return null;
    if (!isCookieName(name)) {
      check.fail(join(path, "cookie"), "must be a cookie name");
      return null;
    }
    leaf.source = Source.Cookie;
    leaf.name = name;
  }
  let found = 0;
  for (let i = 0; i < OPERATORS.length; i++) {
    if (v.get(unchecked(OPERATORS[i])) !== null) {
      found++;
      leaf.op = i;
    }
  }
  if (found != 1) {
    check.fail(path, "must have exactly one of " + OPERATORS.join(", "));
    return null;
  }
  const opName = unchecked(OPERATORS[leaf.op]);
  const opPath = join(path, opName);
  const operand = changetype<JsonValue>(v.get(opName));
  if (leaf.op == Operator.Present || leaf.op == Operator.Absent) {
    if (operand.kind != JsonKind.Bool || !operand.bool) {
      check.fail(opPath, "must be true");
      return null;
    }
    return leaf;
  }
  if (leaf.op == Operator.OneOf) {
    const items = check.array(operand, opPath, 1, MAX_ONE_OF);
    if (items === null) return null;
    for (let i = 0; i < items.length; i++) {
      const s = boundedString(unchecked(items[i]), at(opPath, i), check);
      if (s === null) return null;
      leaf.values.push(s);
    }
    return leaf;
  }
  const s = boundedString(operand, opPath, check);
  if (s === null) return null;
  leaf.value = s;
  return leaf;
}

function boundedString(v: JsonValue, path: string, check: Check): string | null {
  const s = check.string(v, path);
  if (s === null) return null;
  if (s.length > MAX_VALUE_LENGTH) {
    check.fail(path, "must be at most " + MAX_VALUE_LENGTH.toString() + " characters");
    return null;
  }
  return s;
}
