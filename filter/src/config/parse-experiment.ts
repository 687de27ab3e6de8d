import { JsonValue } from "../json/value";
import { at, Check, join } from "./check";
import { parseAssignment } from "./parse-assignment";
import { parseOverride } from "./parse-override";
import { parseSegment } from "./parse-segment";
import { isCookieName, isHeaderName, isHostPattern, isName } from "./syntax";
import { Experiment, Mirror, Source, StickyKey, Version, versionIndex } from "./types";

export const MAX_VERSIONS: i32 = 32;
export const MAX_WEIGHT: i64 = 1_000_000;
const MAX_HOSTS: i32 = 64;
const MAX_STICKY_KEYS: i32 = 8;
const MAX_SALT_LENGTH: i32 = 256;

const KEYS: string[] = [
  "name",
  "hosts",
  "segment",
  "stickyKey",
  "baseline",
  "versions",
  "mirror",
  "salt",
  "assignment",
  "override",
];
const VERSION_KEYS: string[] = ["name", "weight"];
const MIRROR_KEYS: string[] = ["version", "percent"];

/** Validates one entry of `experiments` (docs/plugin-config.md). */
export function parseExperiment(v: JsonValue, path: string, check: Check): Experiment | null {
  if (!check.object(v, path, KEYS)) return null;
  const e = new Experiment();
  const name = required(v, "name", path, check);
  if (name === null) return null;
  e.name = nameOf(name, join(path, "name"), check);
  if (check.failed) return null;
  if (!parseVersions(v, path, e, check)) return null;
  const baseline = required(v, "baseline", path, check);
  if (baseline === null) return null;
  const baselineName = check.string(baseline, join(path, "baseline"));
  if (baselineName === null) return null;
  e.baseline = versionIndex(e.versions, baselineName);
  if (e.baseline < 0) {
    check.fail(
      join(path, "baseline"),
      'names no version of the experiment: "' + baselineName + '"',
    );
    return null;
  }
  const hosts = v.get("hosts");
  if (hosts !== null && !parseHosts(hosts, join(path, "hosts"), e, check)) return null;
  const segment = v.get("segment");
  if (segment !== null) {
    e.segment = parseSegment(segment, join(path, "segment"), check);
    if (e.segment === null) return null;
  }
  const sticky = v.get("stickyKey");
  if (sticky !== null && !parseSticky(sticky, join(path, "stickyKey"), e, check)) return null;
  e.salt = e.name;
  const salt = v.get("salt");
  if (salt !== null) {
    const s = check.string(salt, join(path, "salt"));
    if (s === null) return null;
    if (s.length > MAX_SALT_LENGTH) {
      check.fail(
        join(path, "salt"),
        "must be at most " + MAX_SALT_LENGTH.toString() + " characters",
      );
      return null;
    }
    e.salt = s;
  }
  const mirror = v.get("mirror");
  if (mirror !== null) {
    e.mirror = parseMirror(mirror, join(path, "mirror"), e.versions, check);
    if (e.mirror === null) return null;
  }
  const assignment = v.get("assignment");
  if (assignment !== null) {
    e.assignment = parseAssignment(assignment, join(path, "assignment"), e.versions, check);
    if (e.assignment === null) return null;
  } else if (e.totalWeight == 0) {
    check.fail(join(path, "versions"), "weights must not all be 0");
    return null;
  }
  const overrideValue = v.get("override");
  if (overrideValue !== null) {
    e.qaOverride = parseOverride(overrideValue, join(path, "override"), e.versions, check);
    if (e.qaOverride === null) return null;
  }
  return e;
}

function required(v: JsonValue, key: string, path: string, check: Check): JsonValue | null {
  const value = v.get(key);
  if (value === null) check.fail(join(path, key), "is required");
  return value;
}

function nameOf(v: JsonValue, path: string, check: Check): string {
  const s = check.string(v, path);
  if (s === null) return "";
  if (!isName(s)) {
    check.fail(
      path,
      "must be 1-63 characters of A-Z a-z 0-9 . _ - starting and ending alphanumeric",
    );
    return "";
  }
  return s;
}

function parseVersions(v: JsonValue, path: string, e: Experiment, check: Check): bool {
  const value = required(v, "versions", path, check);
  if (value === null) return false;
  const listPath = join(path, "versions");
  const items = check.array(value, listPath, 1, MAX_VERSIONS);
  if (items === null) return false;
  for (let i = 0; i < items.length; i++) {
    const itemPath = at(listPath, i);
    const item = unchecked(items[i]);
    if (!check.object(item, itemPath, VERSION_KEYS)) return false;
    const nameValue = required(item, "name", itemPath, check);
    if (nameValue === null) return false;
    const name = nameOf(nameValue, join(itemPath, "name"), check);
    if (check.failed) return false;
    if (versionIndex(e.versions, name) >= 0) {
      check.fail(join(itemPath, "name"), 'duplicates version "' + name + '"');
      return false;
    }
    const weightValue = required(item, "weight", itemPath, check);
    if (weightValue === null) return false;
    const problem = "must be a non-negative integer (at most " + MAX_WEIGHT.toString() + ")";
    const weight = check.integer(weightValue, join(itemPath, "weight"), 0, MAX_WEIGHT, problem);
    if (check.failed) return false;
    e.versions.push(new Version(name, weight));
    e.totalWeight += weight;
  }
  return true;
}

function parseHosts(v: JsonValue, path: string, e: Experiment, check: Check): bool {
  const items = check.array(v, path, 1, MAX_HOSTS);
  if (items === null) return false;
  for (let i = 0; i < items.length; i++) {
    const host = check.string(unchecked(items[i]), at(path, i));
    if (host === null) return false;
    if (!isHostPattern(host)) {
      check.fail(at(path, i), "must be a lower-case host name without port, or *.domain");
      return false;
    }
    e.hosts.push(host);
  }
  return true;
}

function parseSticky(v: JsonValue, path: string, e: Experiment, check: Check): bool {
  const items = check.array(v, path, 0, MAX_STICKY_KEYS);
  if (items === null) return false;
  for (let i = 0; i < items.length; i++) {
    const s = check.string(unchecked(items[i]), at(path, i));
    if (s === null) return false;
    if (s.startsWith("header:") && isHeaderName(s.substring(7))) {
      e.stickyKeys.push(new StickyKey(Source.Header, s.substring(7)));
    } else if (s.startsWith("cookie:") && isCookieName(s.substring(7))) {
      e.stickyKeys.push(new StickyKey(Source.Cookie, s.substring(7)));
    } else {
      check.fail(at(path, i), 'must be "header:<lower-case name>" or "cookie:<name>"');
      return false;
    }
  }
  return true;
}

function parseMirror(v: JsonValue, path: string, versions: Version[], check: Check): Mirror | null {
  if (!check.object(v, path, MIRROR_KEYS)) return null;
  const versionValue = required(v, "version", path, check);
  if (versionValue === null) return null;
  const version = nameOf(versionValue, join(path, "version"), check);
  if (check.failed) return null;
  if (versionIndex(versions, version) >= 0) {
    check.fail(
      join(path, "version"),
      'must be a dark version, not one of versions: "' + version + '"',
    );
    return null;
  }
  const percentValue = required(v, "percent", path, check);
  if (percentValue === null) return null;
  const percent = check.integer(
    percentValue,
    join(path, "percent"),
    0,
    100,
    "must be an integer from 0 to 100",
  );
  if (check.failed) return null;
  return new Mirror(version, <i32>percent);
}
