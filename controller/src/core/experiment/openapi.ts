/**
 * TypeBox schema → Kubernetes structural OpenAPI v3 schema. The API server accepts a subset of JSON
 * Schema: every node has a `type`; no `const`, `$ref`, `patternProperties`; `exclusiveMinimum` is a
 * boolean beside `minimum`; `properties` and `additionalProperties` never together; a union of
 * objects cannot be expressed, so its branches are merged into one object (the validator, which
 * knows the union, is stricter than the CRD).
 */
import { Kind, type TSchema } from "@sinclair/typebox";

/** The parts of Kubernetes' JSONSchemaProps this generator emits. */
export interface StructuralSchema {
  type?: "object" | "array" | "string" | "number" | "integer" | "boolean";
  description?: string;
  properties?: Record<string, StructuralSchema>;
  required?: string[];
  additionalProperties?: StructuralSchema;
  items?: StructuralSchema;
  enum?: unknown[];
  default?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  format?: string;
  nullable?: boolean;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
}

const COPIED = [
  "description",
  "default",
  "pattern",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "format",
] as const;

function annotations(schema: TSchema): StructuralSchema {
  const out: StructuralSchema = {};
  for (const key of COPIED) if (schema[key] !== undefined) out[key] = schema[key];
  return out;
}

function numeric(schema: TSchema, type: "number" | "integer"): StructuralSchema {
  const out: StructuralSchema = { type, ...annotations(schema) };
  if (schema.minimum !== undefined) out.minimum = schema.minimum;
  if (schema.maximum !== undefined) out.maximum = schema.maximum;
  // JSON Schema 2019+ (TypeBox) puts the bound in exclusiveMinimum; OpenAPI 3.0 wants a flag.
  if (schema.exclusiveMinimum !== undefined) {
    out.minimum = schema.exclusiveMinimum;
    out.exclusiveMinimum = true;
  }
  if (schema.exclusiveMaximum !== undefined) {
    out.maximum = schema.exclusiveMaximum;
    out.exclusiveMaximum = true;
  }
  return out;
}

function object(schema: TSchema): StructuralSchema {
  const out: StructuralSchema = { type: "object", ...annotations(schema) };
  const properties = Object.entries((schema.properties ?? {}) as Record<string, TSchema>);
  if (properties.length > 0) {
    out.properties = Object.fromEntries(properties.map(([k, v]) => [k, toStructural(v)]));
  }
  if (Array.isArray(schema.required) && schema.required.length > 0) out.required = schema.required;
  if (schema.additionalProperties === true) out["x-kubernetes-preserve-unknown-fields"] = true;
  return out;
}

function union(schema: TSchema): StructuralSchema {
  const options: TSchema[] = schema.anyOf;
  if (options.every((o) => o[Kind] === "Literal")) {
    const values = options.map((o) => o.const);
    const type = typeof values[0];
    if (type !== "string" || values.some((v) => typeof v !== type)) {
      throw new Error("openapi: only unions of string literals map to an enum");
    }
    return { type: "string", ...annotations(schema), enum: values };
  }
  if (options.every((o) => o[Kind] === "Object")) {
    const branches = options.map(object);
    const properties: Record<string, StructuralSchema> = {};
    for (const branch of branches) Object.assign(properties, branch.properties);
    const required = branches
      .map((b) => b.required ?? [])
      .reduce((a, b) => a.filter((k) => b.includes(k)));
    const out: StructuralSchema = { type: "object", ...annotations(schema), properties };
    if (required.length > 0) out.required = required;
    return out;
  }
  throw new Error("openapi: a union must be all string literals or all objects");
}

/** Converts one TypeBox schema node (and its children) to a structural schema. */
export function toStructural(schema: TSchema): StructuralSchema {
  switch (schema[Kind]) {
    case "Object":
      return object(schema);
    case "Array":
      return { type: "array", ...annotations(schema), items: toStructural(schema.items) };
    case "Record": {
      const [values] = Object.values(schema.patternProperties as Record<string, TSchema>);
      if (values === undefined) throw new Error("openapi: a record without a value schema");
      return { type: "object", ...annotations(schema), additionalProperties: toStructural(values) };
    }
    case "String":
      return { type: "string", ...annotations(schema) };
    case "Number":
      return numeric(schema, "number");
    case "Integer":
      return numeric(schema, "integer");
    case "Boolean":
      return { type: "boolean", ...annotations(schema) };
    case "Literal":
      return { type: "string", ...annotations(schema), enum: [schema.const] };
    case "Union":
      return union(schema);
    case "Unknown":
    case "Any":
      return { ...annotations(schema), "x-kubernetes-preserve-unknown-fields": true };
    default:
      throw new Error(`openapi: unsupported TypeBox kind ${String(schema[Kind])}`);
  }
}
