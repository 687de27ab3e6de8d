import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../controller/src/cli/program.js";
import { WEBHOOK_URL_ENV } from "../../controller/src/notify/index.js";
import { EXPERIMENT_CRD } from "./crd-name.js";
import { DEPLOY, docsOf, docsOfText, filesUnder, type Manifest, one } from "./manifests.js";

/** kubectl's built-in kustomize (CI installs Debian's kubernetes-client when kubectl is absent). */
const rendered = docsOfText(
  execFileSync("kubectl", ["kustomize", `${DEPLOY}/base`], { encoding: "utf8" }),
);

describe("deploy/base", () => {
  it("renders with kubectl kustomize into exactly the controller's objects, in cohort-system", () => {
    expect(rendered.map((d) => `${d.apiVersion} ${d.kind} ${d.metadata.name}`).sort()).toEqual([
      `apiextensions.k8s.io/v1 CustomResourceDefinition ${EXPERIMENT_CRD}`,
      "apps/v1 Deployment cohort-controller",
      "rbac.authorization.k8s.io/v1 ClusterRole cohort-controller",
      "rbac.authorization.k8s.io/v1 ClusterRoleBinding cohort-controller",
      "rbac.authorization.k8s.io/v1 Role cohort-controller-leader-election",
      "rbac.authorization.k8s.io/v1 RoleBinding cohort-controller-leader-election",
      "v1 Namespace cohort-system",
      "v1 Service cohort-controller-metrics",
      "v1 ServiceAccount cohort-controller",
    ]);
    const namespaced = rendered.filter(
      (d) =>
        !["Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition"].includes(
          d.kind,
        ),
    );
    expect(namespaced.map((d) => d.metadata.namespace)).toEqual(
      namespaced.map(() => "cohort-system"),
    );
  });

  it("includes the generated CRD unchanged", () => {
    const crd = one(rendered, "CustomResourceDefinition");
    expect(crd).toEqual(
      one(docsOf("deploy/crds/cohort.dev_experiments.yaml"), "CustomResourceDefinition"),
    );
  });

  it("grants no wildcard, no delete, and the Lease only in its own namespace", () => {
    const rules = (kind: string) => one(rendered, kind).rules as Manifest[];
    for (const rule of [...rules("ClusterRole"), ...rules("Role")]) {
      for (const field of ["apiGroups", "resources", "verbs"]) {
        expect(rule[field]).not.toContain("*");
      }
      expect(rule.verbs).not.toContain("delete");
      expect(rule.verbs).not.toContain("deletecollection");
    }
    // that these are exactly the calls the controller makes: test/controller/kube/rbac.test.ts
    // the Lease is only in the controller's own namespace (a Role, not a ClusterRole)
    expect(rules("Role")).toEqual([
      {
        apiGroups: ["coordination.k8s.io"],
        resources: ["leases"],
        verbs: ["get", "create", "update"],
      },
    ]);
  });

  it("binds the roles to the controller's ServiceAccount, which the Deployment runs as", () => {
    const sa = one(rendered, "ServiceAccount");
    for (const kind of ["ClusterRoleBinding", "RoleBinding"]) {
      const b = one(rendered, kind);
      expect(b.subjects).toEqual([
        { kind: "ServiceAccount", name: sa.metadata.name, namespace: "cohort-system" },
      ]);
      expect(b.roleRef.name).toBe(one(rendered, kind.replace("Binding", "")).metadata.name);
    }
    expect(one(rendered, "Deployment").spec.template.spec.serviceAccountName).toBe(
      sa.metadata.name,
    );
  });

  it("runs the controller hardened: non-root, read-only root, no capabilities, seccomp, resources, probes", () => {
    const pod = one(rendered, "Deployment").spec.template.spec;
    const [c] = pod.containers;
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    });
    expect(Object.keys(c.resources).sort()).toEqual(["limits", "requests"]);
    expect(c.livenessProbe.httpGet.path).toBe("/healthz");
    expect(c.readinessProbe.httpGet.path).toBe("/readyz");
    expect(c.args[0]).toBe("controller");
    expect(c.image).toBe("ghcr.io/cohort-dev/cohort:0.1.0");
  });

  it("reads the webhook URL from an optional Secret: none, no notifications; never a flag", () => {
    const [c] = one(rendered, "Deployment").spec.template.spec.containers;
    expect(c.env.find((e: Manifest) => e.name === WEBHOOK_URL_ENV)).toEqual({
      name: WEBHOOK_URL_ENV,
      valueFrom: { secretKeyRef: { name: "cohort-webhook", key: "url", optional: true } },
    });
    expect(c.args.join(" ")).not.toContain("--webhook-url");
  });

  it("passes only flags that cohort controller knows, with its metrics URL and port", () => {
    const controller = buildProgram().commands.find((c) => c.name() === "controller");
    const known = new Set(controller?.options.map((o) => o.long));
    const args = one(rendered, "Deployment").spec.template.spec.containers[0].args as string[];
    const flags = args.slice(1).map((a) => a.split("=")[0]);
    expect(flags.filter((f) => !known.has(f))).toEqual([]);
    expect(flags).toEqual(expect.arrayContaining(["--metrics-url", "--port", "--lease-namespace"]));
  });

  it("exposes /metrics through a Service that selects the controller's pods on its metrics port", () => {
    const svc = one(rendered, "Service");
    const deployment = one(rendered, "Deployment");
    expect(deployment.spec.template.metadata.labels).toMatchObject(svc.spec.selector);
    expect(svc.spec.ports).toEqual([
      { name: "http-metrics", port: 8080, targetPort: "http-metrics", protocol: "TCP" },
    ]);
    expect(deployment.spec.template.spec.containers[0].ports[0]).toMatchObject({
      name: "http-metrics",
      containerPort: 8080,
    });
    expect(svc.metadata.annotations["prometheus.io/path"]).toBe("/metrics");
  });

  it("has every YAML file under deploy/ parse (chart templates aside)", () => {
    const files = filesUnder("deploy", [".yaml", ".yml"]).filter(
      (f) => !f.startsWith("deploy/chart/templates/"),
    );
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) expect(() => docsOf(f), f).not.toThrow();
  });
});
