/**
 * Checks a document against a TypeBox schema and says what is wrong in words a user reads: the
 * field, what it must be and what it was. Unlike the API server, it reports unknown fields — a CRD
 * prunes them silently, so a typo like `upperlimit` would otherwise just disappear.
 */
import { Kind, type TSchema } from "@sinclair/typebox";
import { isRecord } from "./json.js";
import type { FieldPath } from "./problems.js";
import { suggest } from "./suggest.js";

/** A problem at a field path, before the path is rendered (the parser maps it to a line). */
export interface RawProblem {
  at: FieldPath;
  message: string;
}

/** `the string "50ms"`, `a list`, `120`: what the user wrote, for "must be X, not Y". */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  return String(value);
}

function range(schema: TSchema): string | undefined {
  const min = schema.exclusiveMinimum ?? schema.minimum;
  const max = schema.exclusiveMaximum ?? schema.maximum;
  const low = schema.exclusiveMinimum === undefined ? "" : " (exclusive)";
  const high = schema.exclusiveMaximum === undefined ? "" : " (exclusive)";
  if (min !== undefined && max !== undefined) return `between ${min}${low} and ${max}${high}`;
  if (min !== undefined)
    return schema.exclusiveMinimum === undefined ? `at least ${min}` : `above ${min}`;
  if (max !== undefined)
    return schema.exclusiveMaximum === undefined ? `at most ${max}` : `below ${max}`;
  return undefined;
}

function outOfRange(schema: TSchema, n: number): boolean {
  return (
    (schema.minimum !== undefined && n < schema.minimum) ||
    (schema.maximum !== undefined && n > schema.maximum) ||
    (schema.exclusiveMinimum !== undefined && n <= schema.exclusiveMinimum) ||
    (schema.exclusiveMaximum !== undefined && n >= schema.exclusiveMaximum)
  );
}

function checkNumber(schema: TSchema, value: unknown, at: FieldPath, out: RawProblem[]): void {
  const integer = schema[Kind] === "Integer";
  const what = integer ? "a whole number" : "a number";
  if (typeof value !== "number" || !Number.isFinite(value)) {
    // "50ms" or "0.01": YAML keeps quoted or unit-suffixed numbers as strings.
    const leading = typeof value === "string" ? /^\s*-?\d+(\.\d+)?/.exec(value) : null;
    const hint = leading === null ? "" : ` (write ${leading[0].trim()}, without units or quotes)`;
    out.push({ at, message: `must be ${what}, not ${describeValue(value)}${hint}` });
  } else if (integer && !Number.isInteger(value)) {
    out.push({ at, message: `must be a whole number, not ${value}` });
  } else if (outOfRange(schema, value)) {
    out.push({ at, message: `must be ${range(schema)}, not ${value}` });
  }
}

function checkString(schema: TSchema, value: unknown, at: FieldPath, out: RawProblem[]): void {
  if (typeof value !== "string") {
    out.push({ at, message: `must be a string, not ${describeValue(value)}` });
  } else if (schema.minLength !== undefined && value.length < schema.minLength) {
    out.push({ at, message: "must not be empty" });
  } else if (schema.maxLength !== undefined && value.length > schema.maxLength) {
    out.push({
      at,
      message: `must be at most ${schema.maxLength} characters, not ${value.length}`,
    });
  } else if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) {
    const hint = schema.description ?? `must match ${schema.pattern}`;
    out.push({ at, message: `${JSON.stringify(value)} is not valid: ${hint}` });
  }
}

function checkObject(schema: TSchema, value: unknown, at: FieldPath, out: RawProblem[]): void {
  if (!isRecord(value)) {
    out.push({ at, message: `must be an object, not ${describeValue(value)}` });
    return;
  }
  const properties: Record<string, TSchema> = schema.properties ?? {};
  const required: string[] = schema.required ?? [];
  for (const [key, child] of Object.entries(properties)) {
    if (value[key] === undefined) {
      if (required.includes(key)) out.push({ at: [...at, key], message: "is required" });
    } else {
      checkAgainst(child, value[key], [...at, key], out);
    }
  }
  if (schema.additionalProperties === true) return;
  for (const key of Object.keys(value)) {
    if (Object.hasOwn(properties, key)) continue;
    const guess = suggest(key, Object.keys(properties));
    const message =
      guess === undefined
        ? `unknown field (known: ${Object.keys(properties).join(", ")})`
        : `unknown field; did you mean ${guess}?`;
    out.push({ at: [...at, key], message });
  }
}

function checkUnion(schema: TSchema, value: unknown, at: FieldPath, out: RawProblem[]): void {
  const options: TSchema[] = schema.anyOf;
  if (options.every((o) => o[Kind] === "Literal")) {
    if (!options.some((o) => o.const === value)) {
      const names = options.map((o) => String(o.const)).join(", ");
      out.push({ at, message: `must be one of ${names}, not ${describeValue(value)}` });
    }
    return;
  }
  // Report the branch that fits best, so a typo in one field is not buried under every option:
  // fewest unknown fields right here (the branch the keys point to), then fewest problems.
  const score = (found: RawProblem[]) =>
    found.filter((p) => p.at.length === at.length + 1 && p.message.startsWith("unknown field"))
      .length *
      1000 +
    found.length;
  let best: RawProblem[] | undefined;
  for (const option of options) {
    const found: RawProblem[] = [];
    checkAgainst(option, value, at, found);
    if (found.length === 0) return;
    if (best === undefined || score(found) < score(best)) best = found;
  }
  out.push(...(best ?? []));
}

/** Appends to `out` every way `value` (found at `at`) does not fit `schema`. */
export function checkAgainst(
  schema: TSchema,
  value: unknown,
  at: FieldPath,
  out: RawProblem[],
): void {
  switch (schema[Kind]) {
    case "Object":
      checkObject(schema, value, at, out);
      return;
    case "Array":
      if (!Array.isArray(value)) {
        out.push({ at, message: `must be a list, not ${describeValue(value)}` });
        return;
      }
      if (schema.minItems !== undefined && value.length < schema.minItems) {
        const least = schema.minItems === 1 ? "one item" : `${schema.minItems} items`;
        out.push({ at, message: `needs at least ${least}` });
      }
      if (schema.maxItems !== undefined && value.length > schema.maxItems) {
        out.push({ at, message: `has ${value.length} items, more than ${schema.maxItems}` });
      }
      value.forEach((item, i) => {
        checkAgainst(schema.items, item, [...at, i], out);
      });
      return;
    case "Record":
      if (!isRecord(value)) {
        out.push({ at, message: `must be an object, not ${describeValue(value)}` });
        return;
      }
      for (const [key, item] of Object.entries(value)) {
        const [itemSchema] = Object.values(schema.patternProperties as Record<string, TSchema>);
        if (itemSchema !== undefined) checkAgainst(itemSchema, item, [...at, key], out);
      }
      return;
    case "String":
      checkString(schema, value, at, out);
      return;
    case "Number":
    case "Integer":
      checkNumber(schema, value, at, out);
      return;
    case "Boolean":
      if (typeof value !== "boolean") {
        out.push({ at, message: `must be true or false, not ${describeValue(value)}` });
      }
      return;
    case "Literal":
      if (value !== schema.const) {
        out.push({ at, message: `must be ${String(schema.const)}, not ${describeValue(value)}` });
      }
      return;
    case "Union":
      checkUnion(schema, value, at, out);
      return;
    case "Unknown":
    case "Any":
      return;
    default:
      throw new Error(`check-schema: unsupported TypeBox kind ${String(schema[Kind])}`);
  }
}
