import { apiVersionOf, type ResourceKind } from "./resource-kinds.js";
import type { RequestInfo } from "./routes.js";

const verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

function resourceList(kinds: readonly ResourceKind[], group: string, version: string): unknown {
  const resources = kinds
    .filter((k) => k.group === group && k.version === version)
    .flatMap((k) => {
      const main = {
        name: k.plural,
        singularName: k.kind.toLowerCase(),
        namespaced: k.namespaced,
        kind: k.kind,
        verbs,
        ...(k.shortNames === undefined ? {} : { shortNames: k.shortNames }),
      };
      if (!k.statusSubresource) return [main];
      return [
        main,
        {
          name: `${k.plural}/status`,
          singularName: "",
          namespaced: k.namespaced,
          kind: k.kind,
          verbs: ["get", "patch", "update"],
        },
      ];
    });
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: apiVersionOf({ group, version }),
    resources,
  };
}

function groupOf(kinds: readonly ResourceKind[], name: string): unknown {
  const versions = [...new Set(kinds.filter((k) => k.group === name).map((k) => k.version))].map(
    (version) => ({
      groupVersion: `${name}/${version}`,
      version,
    }),
  );
  return { kind: "APIGroup", apiVersion: "v1", name, versions, preferredVersion: versions[0] };
}

/**
 * The discovery documents (`/api`, `/api/v1`, `/apis`, `/apis/<group>[/<version>]`, `/version`)
 * that `KubernetesObjectApi` and kubectl read to map a kind to its plural; undefined → 404.
 */
export function discoveryDocument(
  kinds: readonly ResourceKind[],
  d: NonNullable<RequestInfo["discovery"]>,
): unknown {
  if (d.root === "version") {
    return { major: "1", minor: "31", gitVersion: "v1.31.0-fake", platform: "linux/amd64" };
  }
  if (d.root === "api" && d.version === undefined) {
    return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [] };
  }
  if (d.version !== undefined) {
    if (!kinds.some((k) => k.group === (d.group ?? "") && k.version === d.version))
      return undefined;
    return resourceList(kinds, d.group ?? "", d.version);
  }
  const names = [...new Set(kinds.filter((k) => k.group !== "").map((k) => k.group))];
  if (d.group !== undefined) return names.includes(d.group) ? groupOf(kinds, d.group) : undefined;
  return { kind: "APIGroupList", apiVersion: "v1", groups: names.map((n) => groupOf(kinds, n)) };
}
