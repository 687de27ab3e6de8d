import { readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { WEBHOOK_URL_ENV } from "../../controller/src/notify/index.js";
import { DEPLOY, docsOf, filesUnder, type Manifest, one } from "./manifests.js";

const CHART = join(DEPLOY, "chart");
const values = parse(readFileSync(join(CHART, "values.yaml"), "utf8")) as Manifest;
const templates = filesUnder("deploy/chart/templates", [".yaml", ".tpl", ".txt"]);
const templateText = (file: string) => readFileSync(join(DEPLOY, "..", file), "utf8");

/** `a.b.c` paths of every leaf of values.yaml (lists and empty maps are leaves). */
function leaves(node: unknown, prefix = ""): string[] {
  if (
    node === null ||
    typeof node !== "object" ||
    Array.isArray(node) ||
    Object.keys(node).length === 0
  ) {
    return [prefix];
  }
  return Object.entries(node).flatMap(([k, v]) => leaves(v, prefix === "" ? k : `${prefix}.${k}`));
}

function lookup(path: string): unknown {
  return path.split(".").reduce<unknown>((n, k) => (n as Manifest | undefined)?.[k], values);
}

/** A template's static YAML: the lines without template actions (what does not depend on values). */
function staticPart(file: string): Manifest[] {
  const text = templateText(file)
    .split("\n")
    .filter((l) => !l.includes("{{"))
    .join("\n");
  return text.split(/^---$/m).map((d) => parse(d) as Manifest);
}

describe("deploy/chart (checked without Helm, which cannot be installed here)", () => {
  it("has a Chart.yaml of apiVersion v2 with a semantic version and the app's version", () => {
    const chart = parse(readFileSync(join(CHART, "Chart.yaml"), "utf8"));
    expect(chart).toMatchObject({ apiVersion: "v2", name: "cohort", type: "application" });
    expect(chart.version).toMatch(/^\d+\.\d+\.\d+$/);
    const pkg = JSON.parse(readFileSync(join(DEPLOY, "../package.json"), "utf8"));
    expect(chart.appVersion).toBe(pkg.version);
  });

  it("uses in its templates only values that values.yaml defines", () => {
    const used = new Set<string>();
    for (const file of templates) {
      for (const m of templateText(file).matchAll(/\.Values\.([A-Za-z0-9_.]+)/g))
        used.add(m[1] as string);
    }
    expect(used.size).toBeGreaterThan(15);
    const missing = [...used].filter((path) => lookup(path) === undefined);
    expect(missing).toEqual([]);
  });

  it("documents every value in values.yaml and in the README table, and no value that does not exist", () => {
    const readme = readFileSync(join(CHART, "README.md"), "utf8");
    const documented = [...readme.matchAll(/^\| `([A-Za-z0-9_.]+)` \|/gm)].map((m) => m[1]);
    const all = leaves(values);
    // a leaf under a documented map (resources.requests.cpu under resources) counts as documented
    const covered = (leaf: string) =>
      documented.some((d) => leaf === d || leaf.startsWith(`${d}.`));
    expect(all.filter((l) => !covered(l))).toEqual([]);
    expect(documented.filter((d) => lookup(d as string) === undefined)).toEqual([]);
    const valuesText = readFileSync(join(CHART, "values.yaml"), "utf8");
    const comments = valuesText.match(/^\s*# -- /gm) ?? [];
    expect(comments.length).toBe(documented.length);
  });

  it("grants the same RBAC as deploy/base, with no wildcard", () => {
    const base = (file: string) =>
      one(docsOf(`deploy/base/${file}`), file.startsWith("cluster") ? "ClusterRole" : "Role");
    const [clusterRole] = staticPart("deploy/chart/templates/cluster-role.yaml");
    const [leaseRole] = staticPart("deploy/chart/templates/lease-role.yaml");
    expect(clusterRole?.rules).toEqual(base("cluster-role.yaml").rules);
    expect(leaseRole?.rules).toEqual(base("lease-role.yaml").rules);
    for (const rule of [...(clusterRole?.rules ?? []), ...(leaseRole?.rules ?? [])]) {
      expect(JSON.stringify(rule)).not.toContain("*");
    }
    expect(values.rbac.extraRules).toEqual([]);
  });

  it("runs the controller with base's arguments, hardening and probes once the values are filled in", () => {
    const baseContainer = one(docsOf("deploy/base/deployment.yaml"), "Deployment").spec.template
      .spec.containers[0];
    const text = templateText("deploy/chart/templates/deployment.yaml");
    const args = [...text.matchAll(/^ {12}- (--?[\w-]+=?.*|controller)$/gm)].map((m) =>
      (m[1] as string)
        .replace("{{ .Values.port }}", String(values.port))
        .replace("{{ .Values.prometheusUrl }}", values.prometheusUrl)
        .replace("{{ .Values.wasmPlugin }}", values.wasmPlugin),
    );
    // watchNamespace and promotionDir are empty by default, so their flags are not rendered
    expect(args.filter((a) => !/^--(namespace|promotion-dir)=/.test(a))).toEqual(
      baseContainer.args,
    );
    expect(args.length).toBe(baseContainer.args.length + 2);
    const [doc] = staticPart("deploy/chart/templates/deployment.yaml");
    const pod = doc?.spec.template.spec;
    expect(pod.securityContext).toEqual(
      one(docsOf("deploy/base/deployment.yaml"), "Deployment").spec.template.spec.securityContext,
    );
    const container = pod.containers[0];
    for (const key of ["securityContext", "livenessProbe", "readinessProbe"]) {
      expect(container[key], key).toEqual(baseContainer[key]);
    }
    expect(values.resources).toEqual(baseContainer.resources);
    expect(values.port).toBe(baseContainer.ports[0].containerPort);
  });

  it("passes the webhook URL from a Secret in the variable the controller reads, never as a flag", () => {
    const text = templateText("deploy/chart/templates/deployment.yaml");
    expect(values.notifications.webhookUrlSecret).toEqual({ name: "", key: "url" });
    const squeezed = text.replace(/\s+/g, " ");
    expect(squeezed).toContain(
      [
        "{{- with .Values.notifications.webhookUrlSecret.name }}",
        `- name: ${WEBHOOK_URL_ENV} valueFrom: secretKeyRef: name: {{ . }}`,
        "key: {{ $.Values.notifications.webhookUrlSecret.key }} {{- end }}",
      ].join(" "),
    );
    expect(text).not.toContain("--webhook-url");
  });

  it("ships the generated CRD itself (a link), so the two cannot drift", () => {
    expect(realpathSync(join(CHART, "crds/cohort.dev_experiments.yaml"))).toBe(
      realpathSync(join(DEPLOY, "crds/cohort.dev_experiments.yaml")),
    );
  });
});
