import type { ResourceKind } from "./resource-kinds.js";

/** The Kubernetes verb a request maps to (as RBAC and the audit log name them). */
export type Verb =
  | "get"
  | "list"
  | "watch"
  | "create"
  | "update"
  | "patch"
  | "delete"
  | "deletecollection"
  | "discovery";

/** What the URL and method address, after the API server's RequestInfoFactory rules. */
export interface RequestInfo {
  verb: Verb;
  kind?: ResourceKind;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** For discovery requests: the group/version path asked for. */
  discovery?: { group?: string; version?: string; root: "api" | "apis" | "version" };
}

/** Resolves resource paths `/api/v1/...` and `/apis/<group>/<version>/...`; undefined → 404. */
export function resolveRequest(
  method: string,
  pathname: string,
  query: URLSearchParams,
  kinds: readonly ResourceKind[],
): RequestInfo | undefined {
  const parts = pathname
    .split("/")
    .filter((p) => p !== "")
    .map(decodeURIComponent);
  if (parts[0] === "version" && parts.length === 1)
    return { verb: "discovery", discovery: { root: "version" } };
  let group: string;
  let rest: string[];
  if (parts[0] === "api") {
    if (parts.length === 1) return { verb: "discovery", discovery: { root: "api" } };
    group = "";
    rest = parts.slice(1);
  } else if (parts[0] === "apis") {
    if (parts.length <= 2) {
      const discovery: RequestInfo["discovery"] = { root: "apis" };
      if (parts[1] !== undefined) discovery.group = parts[1];
      return { verb: "discovery", discovery };
    }
    group = parts[1] ?? "";
    rest = parts.slice(2);
  } else return undefined;

  const version = rest[0] ?? "";
  let segs = rest.slice(1);
  if (segs.length === 0)
    return {
      verb: "discovery",
      discovery: { group, version, root: group === "" ? "api" : "apis" },
    };
  const inVersion = kinds.filter((k) => k.group === group && k.version === version);
  if (inVersion.length === 0) return undefined;

  // The deprecated `/watch/` path prefix is the same as `?watch=true`.
  let watchPrefix = false;
  if (segs[0] === "watch") {
    watchPrefix = true;
    segs = segs.slice(1);
  }
  let namespace: string | undefined;
  const namespacedPlural = segs[0] === "namespaces" && segs.length >= 3 ? segs[2] : undefined;
  if (
    namespacedPlural !== undefined &&
    inVersion.some((k) => k.namespaced && k.plural === namespacedPlural)
  ) {
    namespace = segs[1];
    segs = segs.slice(2);
  }
  const [plural, name, subresource] = segs;
  const kind = inVersion.find((k) => k.plural === plural);
  if (kind === undefined || segs.length > 3) return undefined;
  if (namespace !== undefined && !kind.namespaced) return undefined;

  const watchParam = query.get("watch");
  const isWatch = watchPrefix || watchParam === "true" || watchParam === "1";
  let verb: Verb;
  switch (method) {
    case "GET":
      verb = name !== undefined ? (isWatch ? "watch" : "get") : isWatch ? "watch" : "list";
      break;
    case "POST":
      verb = "create";
      break;
    case "PUT":
      verb = "update";
      break;
    case "PATCH":
      verb = "patch";
      break;
    case "DELETE":
      verb = name !== undefined ? "delete" : "deletecollection";
      break;
    default:
      return undefined;
  }
  const info: RequestInfo = { verb, kind };
  if (namespace !== undefined) info.namespace = namespace;
  if (name !== undefined) info.name = name;
  if (subresource !== undefined) info.subresource = subresource;
  return info;
}
