import { RouteInputError } from "./route-errors.js";

/** One request's headers, pseudo-headers (":authority", ...) included. */
export type RequestHeaders = Record<string, string>;

/** Parses `-H 'name: value'` flags (curl's form); the first colon after position 0 splits. */
export function parseHeaderFlags(flags: readonly string[]): RequestHeaders {
  const out: RequestHeaders = {};
  for (const flag of flags) {
    // A pseudo-header starts with ':', so look for the separator after the first character.
    const at = flag.indexOf(":", flag.startsWith(":") ? 1 : 0);
    if (at <= 0) {
      throw new RouteInputError(`-H ${JSON.stringify(flag)}: expected 'name: value'`);
    }
    const name = flag.slice(0, at).trim().toLowerCase();
    if (name.length === 0)
      throw new RouteInputError(`-H ${JSON.stringify(flag)}: empty header name`);
    out[name] = flag.slice(at + 1).trim();
  }
  return out;
}

/**
 * Parses a JSONL file: one JSON object of string header values per non-blank line. Errors name
 * the file and line number.
 */
export function parseRequestsJsonl(text: string, file: string): RequestHeaders[] {
  const out: RequestHeaders[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim().length === 0) return;
    const where = `${file}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new RouteInputError(`${where}: not valid JSON (${(e as Error).message})`, { cause: e });
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new RouteInputError(`${where}: expected a JSON object of headers`);
    }
    const headers: RequestHeaders = {};
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== "string") {
        throw new RouteInputError(`${where}: header ${JSON.stringify(k)} must be a string`);
      }
      headers[k.toLowerCase()] = v;
    }
    out.push(headers);
  });
  return out;
}
