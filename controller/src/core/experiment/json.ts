/** Guards for reading a document that has not been validated yet: rules must not trip on bad shapes. */
export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The object at `value`, or an empty one when it is missing or not an object. */
export function recordOf(value: unknown): Json {
  return isRecord(value) ? value : {};
}

/** The list at `value`, or an empty one when it is missing or not a list. */
export function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function stringOf(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function numberOf(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}
