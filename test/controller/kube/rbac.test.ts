/**
 * The RBAC of deploy/base is exactly what the controller uses: a whole lifecycle (two replicas with
 * a Lease, creation → promotion, a hand-over and a restart) runs against the fake API server, and
 * every request the controllers sent — as the API server's authorizer sees it: verb, API group,
 * resource, subresource, namespace — must be granted by the rendered Roles and ClusterRoles, and
 * every grant must be used by some request. Discovery (`/api`, `/apis`, `/version`) is left out:
 * every authenticated user may read it (the `system:discovery` ClusterRole).
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { DEPLOY, docsOfText, type Manifest } from "../../deploy/manifests.js";
import type { RequestRecord } from "../../helpers/fake-kube/request-log.js";
import { CONTROLLER_USER, canarySpec, type Harness, NS, ports, useHarness } from "./harness.js";

let h: Harness;
useHarness((x) => {
  h = x;
});

/** What RBAC authorizes: a request's attributes; `namespace` undefined for cluster-scoped calls. */
interface Access {
  verb: string;
  group: string;
  resource: string;
  namespace: string | undefined;
}

/** One granted (verb, group, resource) in a scope: a namespace, or "*" for a ClusterRoleBinding. */
interface Grant {
  scope: string;
  verb: string;
  group: string;
  resource: string;
  from: string;
}

function accessOf(r: RequestRecord): Access {
  // /api/v1/... is the core group (""); /apis/<group>/<version>/... names it
  const parts = r.path.split("/").filter((p) => p !== "");
  const group = parts[0] === "apis" ? (parts[1] ?? "") : "";
  const resource = r.subresource === undefined ? `${r.resource}` : `${r.resource}/${r.subresource}`;
  return { verb: r.verb, group, resource, namespace: r.namespace };
}

/** Every grant of the rendered manifests, each in the scope its binding gives it. */
function grantsOf(docs: Manifest[]): Grant[] {
  const roles = new Map<string, Manifest>();
  for (const d of docs)
    if (d.kind === "ClusterRole" || d.kind === "Role")
      roles.set(`${d.kind}/${d.metadata.namespace ?? ""}/${d.metadata.name}`, d);
  const out: Grant[] = [];
  for (const b of docs) {
    if (b.kind !== "ClusterRoleBinding" && b.kind !== "RoleBinding") continue;
    const scope = b.kind === "ClusterRoleBinding" ? "*" : (b.metadata.namespace as string);
    const roleNs = b.roleRef.kind === "Role" ? scope : "";
    const role = roles.get(`${b.roleRef.kind}/${roleNs}/${b.roleRef.name}`);
    if (role === undefined) throw new Error(`${b.kind} ${b.metadata.name}: no ${b.roleRef.name}`);
    for (const rule of role.rules as Manifest[])
      for (const group of rule.apiGroups as string[])
        for (const resource of rule.resources as string[])
          for (const verb of rule.verbs as string[])
            out.push({ scope, verb, group, resource, from: `${role.kind} ${role.metadata.name}` });
  }
  return out;
}

const allows = (g: Grant, a: Access) =>
  g.verb === a.verb &&
  g.group === a.group &&
  g.resource === a.resource &&
  (g.scope === "*" || g.scope === a.namespace);

const show = (a: Access) => `${a.verb} ${a.group}/${a.resource} in ${a.namespace ?? "(cluster)"}`;

describe("the controller's RBAC (deploy/base)", () => {
  it("grants every request of a whole lifecycle and nothing that lifecycle does not use", async () => {
    const rendered = docsOfText(
      execFileSync("kubectl", ["kustomize", `${DEPLOY}/base`], { encoding: "utf8" }),
    );
    const grants = grantsOf(rendered);
    const leaseRole = rendered.find((d) => d.kind === "Role");
    expect(leaseRole?.metadata.namespace).toBe("cohort-system");

    // two replicas, every namespace watched: a leads, b stands by
    const a = await h.controller("replica-a", ports());
    const b = await h.controller("replica-b", ports());
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    await h.create(a, "checkout", canarySpec());
    await h.advance(30_000);
    expect(h.experiment("checkout").status).toMatchObject({ phase: "Running", iteration: 1 });
    // a stops (releasing the Lease), b takes over; then b restarts as a one-namespace controller
    await a.stop();
    await h.advance(5_000);
    expect(b.isLeader()).toBe(true);
    await b.stop();
    const p = ports();
    await h.controller("replica-b-restarted", p, { namespace: NS });
    await h.advance(30_000);
    expect(h.experiment("checkout").status).toMatchObject({
      phase: "Completed",
      promotion: { state: "Promoted", version: "v2" },
    });
    expect(p.promoter.calls).toHaveLength(1);

    const requests = h.fake.requests((r) => r.user === CONTROLLER_USER && r.verb !== "discovery");
    const accesses = new Map(requests.map((r) => [show(accessOf(r)), accessOf(r)]));
    const denied = [...accesses.values()].filter((x) => !grants.some((g) => allows(g, x)));
    expect(denied.map(show)).toEqual([]);
    const unused = grants.filter((g) => ![...accesses.values()].some((x) => allows(g, x)));
    expect(unused.map((g) => `${g.from}: ${g.verb} ${g.group}/${g.resource}`)).toEqual([]);
    // the lifecycle made each kind of call (so the comparison above compared something)
    expect([...accesses.keys()].sort()).toEqual([
      "create /events in shop",
      "create coordination.k8s.io/leases in cohort-system",
      "get cohort.dev/experiments in shop",
      "get coordination.k8s.io/leases in cohort-system",
      "get extensions.istio.io/wasmplugins in shop",
      "list cohort.dev/experiments in (cluster)",
      "list cohort.dev/experiments in shop",
      "patch cohort.dev/experiments/status in shop",
      "patch extensions.istio.io/wasmplugins in shop",
      "update coordination.k8s.io/leases in cohort-system",
      "watch cohort.dev/experiments in (cluster)",
      "watch cohort.dev/experiments in shop",
    ]);
  });
});
