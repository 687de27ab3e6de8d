import type { RequestInfo, Verb } from "./routes.js";
import {
  conflict,
  expired,
  internalError,
  type Status,
  serviceUnavailable,
  tooManyRequests,
} from "./status.js";

/**
 * What an injected fault does. Status faults answer with the Status the real server would send
 * for that condition; "gone" on a watch is an HTTP 200 stream carrying one ERROR event (410), as the
 * real watch reports an expired resourceVersion; "reset" destroys the socket without answering.
 */
export type Fault =
  | "conflict"
  | "internal-error"
  | "gone"
  | "too-many-requests"
  | "unavailable"
  | "reset"
  | { status: Status };

export interface FaultMatch {
  verb?: Verb | Verb[];
  /** The resource's plural, e.g. "experiments". */
  resource?: string;
  subresource?: string;
  name?: string;
  namespace?: string;
  /** Matched against the URL path (no query). */
  path?: string | RegExp;
}

export interface FaultRule {
  readonly match: FaultMatch;
  readonly fault: Fault;
  /** How many more matching requests this rule will fail. */
  remaining: number;
  /** How many requests it has failed so far. */
  hits: number;
}

export function matches(m: FaultMatch, info: RequestInfo, path: string): boolean {
  if (m.verb !== undefined) {
    const verbs = Array.isArray(m.verb) ? m.verb : [m.verb];
    if (!verbs.includes(info.verb)) return false;
  }
  if (m.resource !== undefined && info.kind?.plural !== m.resource) return false;
  if (m.subresource !== undefined && info.subresource !== m.subresource) return false;
  if (m.name !== undefined && info.name !== m.name) return false;
  if (m.namespace !== undefined && info.namespace !== m.namespace) return false;
  if (typeof m.path === "string" && path !== m.path) return false;
  if (m.path instanceof RegExp && !m.path.test(path)) return false;
  return true;
}

/** The Status an injected fault answers with (every fault but "reset"). */
export function faultStatus(
  fault: Exclude<Fault, "reset">,
  info: RequestInfo,
  revision: number,
): Status {
  const gr = { group: info.kind?.group ?? "", plural: info.kind?.plural ?? "" };
  switch (fault) {
    case "conflict":
      return conflict(gr, info.name ?? "").status;
    case "internal-error":
      return internalError("injected fault: etcdserver: request timed out").status;
    case "gone":
      return expired(Math.max(0, revision - 1), revision).status;
    case "too-many-requests":
      return tooManyRequests(1).status;
    case "unavailable":
      return serviceUnavailable(
        "injected fault: the server is currently unable to handle the request",
      ).status;
    default:
      return fault.status;
  }
}
