import { SidecarConfigError } from "./errors.js";

/** Small readers for one field of a parsed YAML/JSON object; errors name the field's path. */
export type Obj = Record<string, unknown>;

export function fail(path: string, what: string): never {
  throw new SidecarConfigError(`${path}: ${what}`);
}

export function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function obj(v: unknown, path: string): Obj {
  if (v === undefined || v === null) return {};
  if (!isObj(v)) fail(path, "must be a mapping");
  return v;
}

export function onlyKeys(o: Obj, path: string, keys: readonly string[]): void {
  for (const k of Object.keys(o)) {
    if (!keys.includes(k)) fail(`${path}.${k}`, `unknown field (known: ${keys.join(", ")})`);
  }
}

export function str(o: Obj, key: string, path: string, dflt?: string): string {
  const v = o[key];
  if (v === undefined || v === null) {
    if (dflt !== undefined) return dflt;
    fail(`${path}.${key}`, "is required");
  }
  if (typeof v !== "string" || v.length === 0) fail(`${path}.${key}`, "must be a non-empty string");
  return v;
}

export function int(o: Obj, key: string, path: string, dflt: number, min: number, max: number) {
  const v = o[key];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    fail(`${path}.${key}`, `must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
  }
  return v;
}

export function bool(o: Obj, key: string, path: string, dflt: boolean): boolean {
  const v = o[key];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== "boolean") fail(`${path}.${key}`, "must be true or false");
  return v;
}

export function list(o: Obj, key: string, path: string): unknown[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) fail(`${path}.${key}`, "must be a list");
  return v;
}

/** Header names: lower-case tokens (the filter and Envoy's header maps use lower case). */
export function headerName(o: Obj, key: string, path: string, dflt: string): string {
  const v = str(o, key, path, dflt);
  if (!/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(v)) {
    fail(`${path}.${key}`, `must be a lower-case header name, got ${JSON.stringify(v)}`);
  }
  return v;
}
