import { Condition, ConditionKind, Operator, Source } from "../config/types";
import { RequestView } from "./request";

/** True when the request belongs to the segment (no segment = everyone). */
export function inSegment(c: Condition | null, request: RequestView): bool {
  if (c === null) return true;
  return evaluate(c, request);
}

// Recursion depth is bounded by the config validator (MAX_SEGMENT_DEPTH).
function evaluate(c: Condition, request: RequestView): bool {
  const children = c.children;
  switch (c.kind) {
    case ConditionKind.All: {
      for (let i = 0; i < children.length; i++) {
        if (!evaluate(unchecked(children[i]), request)) return false;
      }
      return true;
    }
    case ConditionKind.Any: {
      for (let i = 0; i < children.length; i++) {
        if (evaluate(unchecked(children[i]), request)) return true;
      }
      return false;
    }
    case ConditionKind.Not:
      return children.length == 1 && !evaluate(unchecked(children[0]), request);
    default:
      return test(c, request);
  }
}

function test(c: Condition, request: RequestView): bool {
  const value = c.source == Source.Header ? request.header(c.name) : request.cookie(c.name);
  if (c.op == Operator.Present) return value !== null;
  if (c.op == Operator.Absent) return value === null;
  if (value === null) return false;
  switch (c.op) {
    case Operator.Exact:
      return value == c.value;
    case Operator.Prefix:
      return value.startsWith(c.value);
    case Operator.Suffix:
      return value.endsWith(c.value);
    case Operator.Contains:
      return value.includes(c.value);
    case Operator.OneOf:
      return c.values.includes(value);
    default:
      return false;
  }
}
