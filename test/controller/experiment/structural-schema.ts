/**
 * Kubernetes' structural-schema rules that can be checked offline (apiextensions validation,
 * k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/validation): every node typed, only
 * JSONSchemaProps keys, no keywords a CRD refuses, and what pruning would drop from a document.
 */
type Node = Record<string, unknown>;

const ALLOWED = new Set([
  "type",
  "description",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "enum",
  "default",
  "pattern",
  "minLength",
  "maxLength",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
  "format",
  "nullable",
  "title",
  "example",
  "x-kubernetes-preserve-unknown-fields",
  "x-kubernetes-int-or-string",
  "x-kubernetes-list-type",
  "x-kubernetes-map-type",
  "x-kubernetes-validations",
]);
const TYPES = new Set(["object", "array", "string", "number", "integer", "boolean"]);

function matchesType(value: unknown, type: unknown): boolean {
  switch (type) {
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    case "array":
      return Array.isArray(value);
    case "integer":
      return Number.isInteger(value);
    default:
      return typeof value === type;
  }
}

/** Every breach of the structural rules under `schema`, as "path: what". */
export function structuralViolations(schema: Node, path = ""): string[] {
  const out: string[] = [];
  const at = path === "" ? "(root)" : path;
  for (const key of Object.keys(schema)) {
    if (!ALLOWED.has(key)) out.push(`${at}: keyword ${key} is not allowed in a CRD schema`);
  }
  const untyped =
    schema["x-kubernetes-preserve-unknown-fields"] === true ||
    schema["x-kubernetes-int-or-string"] === true;
  if (schema.type === undefined && !untyped) out.push(`${at}: has no type`);
  if (schema.type !== undefined && !TYPES.has(String(schema.type))) {
    out.push(`${at}: unknown type ${String(schema.type)}`);
  }
  if (schema.properties !== undefined && schema.additionalProperties !== undefined) {
    out.push(`${at}: properties and additionalProperties are mutually exclusive`);
  }
  if (typeof schema.additionalProperties === "boolean") {
    out.push(`${at}: additionalProperties must be a schema`);
  }
  for (const key of ["exclusiveMinimum", "exclusiveMaximum"]) {
    if (schema[key] !== undefined && typeof schema[key] !== "boolean") {
      out.push(`${at}: ${key} must be a boolean in OpenAPI v3.0`);
    }
  }
  if (Array.isArray(schema.enum)) {
    for (const value of schema.enum) {
      if (!matchesType(value, schema.type))
        out.push(`${at}: enum value ${String(value)} is not a ${schema.type}`);
    }
    if (schema.default !== undefined && !schema.enum.includes(schema.default)) {
      out.push(`${at}: default ${String(schema.default)} is not in the enum`);
    }
  }
  if (schema.default !== undefined && !matchesType(schema.default, schema.type)) {
    out.push(`${at}: default does not match type ${String(schema.type)}`);
  }
  if (Array.isArray(schema.required) && schema.properties !== undefined) {
    for (const key of schema.required) {
      if (!(key in (schema.properties as Node)))
        out.push(`${at}: required ${key} is not a property`);
    }
  }
  if (schema.type === "array" && (schema.items === undefined || Array.isArray(schema.items))) {
    out.push(`${at}: an array needs one items schema`);
  }
  for (const [key, child] of Object.entries((schema.properties ?? {}) as Record<string, Node>)) {
    out.push(...structuralViolations(child, path === "" ? key : `${path}.${key}`));
  }
  if (typeof schema.additionalProperties === "object") {
    out.push(...structuralViolations(schema.additionalProperties as Node, `${path}.*`));
  }
  if (typeof schema.items === "object" && !Array.isArray(schema.items)) {
    out.push(...structuralViolations(schema.items as Node, `${path}[]`));
  }
  return out;
}

/**
 * What the API server would do to `value` with this schema: fields it would prune, and values of
 * the wrong type or outside an enum (it would refuse those).
 */
export function admissionProblems(schema: Node, value: unknown, path = ""): string[] {
  if (schema["x-kubernetes-preserve-unknown-fields"] === true && schema.properties === undefined) {
    return [];
  }
  if (value === null && schema.nullable === true) return [];
  if (
    schema.type !== undefined &&
    !matchesType(value, schema.type) &&
    !(schema.type === "number" && Number.isInteger(value))
  ) {
    return [`${path}: ${JSON.stringify(value)} is not a ${String(schema.type)}`];
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
    return [`${path}: ${JSON.stringify(value)} is not in the enum`];
  }
  const out: string[] = [];
  if (Array.isArray(value) && typeof schema.items === "object") {
    value.forEach((item, i) => {
      out.push(...admissionProblems(schema.items as Node, item, `${path}[${i}]`));
    });
  } else if (matchesType(value, "object")) {
    const properties = schema.properties as Record<string, Node> | undefined;
    for (const [key, child] of Object.entries(value as Node)) {
      const sub = path === "" ? key : `${path}.${key}`;
      const childSchema = properties?.[key] ?? (schema.additionalProperties as Node | undefined);
      if (childSchema !== undefined) out.push(...admissionProblems(childSchema, child, sub));
      else if (schema["x-kubernetes-preserve-unknown-fields"] !== true)
        out.push(`${sub}: would be pruned`);
    }
  }
  return out;
}
