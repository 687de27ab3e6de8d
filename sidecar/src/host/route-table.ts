import { RouteConfigError } from "./errors.js";
import type { HeaderMap } from "./header-map.js";

/** Envoy's header matcher, reduced to what Cohort's VirtualServices use. */
export type HeaderMatch = string | { exact: string } | { present: true };

/** Where a matching request goes: a fixed cluster, or the cluster named by a header. */
export interface ClusterTarget {
  cluster?: string;
  /** RouteAction.cluster_header / RequestMirrorPolicy.cluster_header. */
  clusterHeader?: string;
}

export interface RouteRule extends ClusterTarget {
  /** Every listed (lower-case) header must match. An empty object matches every request. */
  match: Record<string, HeaderMatch>;
  /** RouteAction.request_mirror_policies (one; Istio's `mirror`). */
  mirror?: ClusterTarget;
}

/** The route table: the first matching rule wins; no match goes to `defaultCluster`. */
export interface RouteConfig {
  rules: RouteRule[];
  defaultCluster: string;
}

/** The route a request got. */
export interface SelectedRoute {
  cluster: string;
  mirrorCluster?: string;
}

/**
 * The table Cohort's generated VirtualService amounts to: a request carrying the routing header
 * goes to the cluster named by it, and is mirrored to the cluster named by the mirror header when
 * that header is present too; anything else goes to `defaultCluster`.
 */
export function cohortRouteConfig(
  opts: { routingHeader?: string; mirrorHeader?: string; defaultCluster?: string } = {},
): RouteConfig {
  const rh = opts.routingHeader ?? "x-cohort-version";
  const mh = opts.mirrorHeader ?? "x-cohort-mirror";
  return {
    rules: [
      {
        match: { [rh]: { present: true }, [mh]: { present: true } },
        clusterHeader: rh,
        mirror: { clusterHeader: mh },
      },
      { match: { [rh]: { present: true } }, clusterHeader: rh },
    ],
    defaultCluster: opts.defaultCluster ?? "default",
  };
}

function checkTarget(t: ClusterTarget | undefined, field: string): void {
  if (t === undefined) return;
  const has = (t.cluster !== undefined ? 1 : 0) + (t.clusterHeader !== undefined ? 1 : 0);
  if (has !== 1) {
    throw new RouteConfigError(`${field}: exactly one of cluster or clusterHeader is required`);
  }
}

/** Checks a route table; throws RouteConfigError naming the bad field. */
export function validateRouteConfig(rc: RouteConfig): RouteConfig {
  if (typeof rc.defaultCluster !== "string" || rc.defaultCluster.length === 0) {
    throw new RouteConfigError("routes.defaultCluster: must be a non-empty string");
  }
  if (!Array.isArray(rc.rules)) throw new RouteConfigError("routes.rules: must be an array");
  rc.rules.forEach((r, i) => {
    if (typeof r.match !== "object" || r.match === null) {
      throw new RouteConfigError(`routes.rules[${i}].match: must be an object`);
    }
    checkTarget(r, `routes.rules[${i}]`);
    checkTarget(r.mirror, `routes.rules[${i}].mirror`);
  });
  return rc;
}

/** A route table prepared for matching: lower-case names, exact values or presence. */
export interface CompiledRoutes {
  rules: {
    match: { name: string; exact: string | undefined }[];
    cluster: string | undefined;
    clusterHeader: string | undefined;
    mirror: { cluster: string | undefined; clusterHeader: string | undefined } | undefined;
  }[];
  defaultCluster: string;
}

function exactOf(m: HeaderMatch): string | undefined {
  if (typeof m === "string") return m;
  return "exact" in m ? m.exact : undefined;
}

/** Prepares a validated table once, so each request only compares strings. */
export function compileRoutes(rc: RouteConfig): CompiledRoutes {
  const target = (t: ClusterTarget) => ({
    cluster: t.cluster,
    clusterHeader: t.clusterHeader?.toLowerCase(),
  });
  return {
    rules: rc.rules.map((r) => ({
      match: Object.entries(r.match).map(([name, m]) => ({
        name: name.toLowerCase(),
        exact: exactOf(m),
      })),
      ...target(r),
      mirror: r.mirror ? target(r.mirror) : undefined,
    })),
    defaultCluster: rc.defaultCluster,
  };
}

// Header values looked up during one selection: the rules of a table name the same few headers
// (routing and mirror header), so each is scanned for once. Module scratch, reset per selection.
const seenNames: string[] = [];
const seenValues: (string | undefined)[] = [];

function lookup(h: HeaderMap, name: string): string | undefined {
  for (let i = 0; i < seenNames.length; i++) if (seenNames[i] === name) return seenValues[i];
  const v = h.getLower(name);
  seenNames.push(name);
  seenValues.push(v);
  return v;
}

function resolve(
  t: { cluster: string | undefined; clusterHeader: string | undefined },
  h: HeaderMap,
): string | undefined {
  if (t.cluster !== undefined) return t.cluster;
  return lookup(h, t.clusterHeader as string);
}

/** Picks the route for the current request headers (Envoy's RouteMatcher::route, simplified). */
export function selectRoute(rc: CompiledRoutes, h: HeaderMap): SelectedRoute {
  seenNames.length = 0;
  seenValues.length = 0;
  const rules = rc.rules;
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r] as CompiledRoutes["rules"][number];
    let ok = true;
    const match = rule.match;
    for (let i = 0; i < match.length; i++) {
      const m = match[i] as { name: string; exact: string | undefined };
      const v = lookup(h, m.name);
      if (m.exact === undefined ? v === undefined : v !== m.exact) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    const cluster = resolve(rule, h) ?? rc.defaultCluster;
    const mirror = rule.mirror ? resolve(rule.mirror, h) : undefined;
    return mirror === undefined ? { cluster } : { cluster, mirrorCluster: mirror };
  }
  return { cluster: rc.defaultCluster };
}
