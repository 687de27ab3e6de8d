import { JsonValue } from "../json/value";
import { at, Check, join } from "./check";
import { isHeaderName, parseSha256Hex, RESERVED_HEADERS, RESERVED_PROBLEM } from "./syntax";
import { Override, Version, versionIndex } from "./types";

const KEYS: string[] = ["header", "tokenSha256", "versions"];

/** Validates the trusted QA override (docs/plugin-config.md, "Override"). */
export function parseOverride(
  v: JsonValue,
  path: string,
  versions: Version[],
  check: Check,
): Override | null {
  if (!check.object(v, path, KEYS)) return null;
  const header = v.get("header");
  const hashes = v.get("tokenSha256");
  const allowed = v.get("versions");
  if (header === null || hashes === null || allowed === null) {
    check.fail(path, "must have header, tokenSha256 and versions");
    return null;
  }
  const result = new Override();
  const name = check.string(header, join(path, "header"));
  if (name === null) return null;
  if (!isHeaderName(name)) {
    check.fail(join(path, "header"), "must be a lower-case header name");
    return null;
  }
  if (RESERVED_HEADERS.includes(name)) {
    check.fail(join(path, "header"), RESERVED_PROBLEM);
    return null;
  }
  result.header = name;
  const hashItems = check.array(hashes, join(path, "tokenSha256"), 1, 16);
  if (hashItems === null) return null;
  for (let i = 0; i < hashItems.length; i++) {
    const itemPath = at(join(path, "tokenSha256"), i);
    const hex = check.string(unchecked(hashItems[i]), itemPath);
    if (hex === null) return null;
    const digest = parseSha256Hex(hex);
    if (digest === null) {
      check.fail(itemPath, "must be a SHA-256 digest in 64 hex digits");
      return null;
    }
    result.tokenHashes.push(digest);
  }
  const versionItems = check.array(allowed, join(path, "versions"), 1, versions.length);
  if (versionItems === null) return null;
  for (let i = 0; i < versionItems.length; i++) {
    const itemPath = at(join(path, "versions"), i);
    const versionName = check.string(unchecked(versionItems[i]), itemPath);
    if (versionName === null) return null;
    const index = versionIndex(versions, versionName);
    if (index < 0) {
      check.fail(itemPath, 'names no version of the experiment: "' + versionName + '"');
      return null;
    }
    result.versions.push(index);
  }
  return result;
}
