import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createPromoter } from "../../../controller/src/promotion/index.js";
import { subject } from "./subject.js";
import { toolDoubles } from "./tool-double.js";

const KUSTOMIZATION = `# production overlay of checkout
resources:
  - deployment.yaml
images:
  - name: checkout # the app
    newName: registry.example/checkout
    newTag: 1.0.0
  - name: sidecar-helper
    newTag: "7"
`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
spec:
  selector: { matchLabels: { app: checkout } }
  template:
    metadata: { labels: { app: checkout } }
    spec:
      containers:
        - name: app
          image: checkout
`;

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "cohort-kustomize-"));
  await writeFile(join(dir, "kustomization.yaml"), KUSTOMIZATION);
  await writeFile(join(dir, "deployment.yaml"), DEPLOYMENT);
});

const promoteTag = (extra: Record<string, unknown> = {}) =>
  subject({
    kind: "kustomize",
    kustomize: { dir: ".", images: [{ name: "checkout", newTag: "{{ tag }}" }], ...extra },
  });

describe("kustomize promotion", () => {
  it("sets the winner's tag in the kustomization, keeping comments and other images, and renders it with kubectl", async () => {
    const result = await createPromoter({ baseDir: dir }).promote({
      experiment: promoteTag(),
      version: "v2",
    });
    const text = await readFile(join(dir, "kustomization.yaml"), "utf8");
    expect(text).toContain("# production overlay of checkout");
    expect(text).toContain("# the app");
    expect(parse(text).images).toEqual([
      { name: "checkout", newName: "registry.example/checkout", newTag: "2.0.0" },
      { name: "sidecar-helper", newTag: "7" },
    ]);
    expect(result.outcome).toBe("promoted");
    expect(result.rendered).toContain("image: registry.example/checkout:2.0.0");
    expect(result.steps).toEqual([
      `wrote ${join(dir, "kustomization.yaml")}`,
      `ran kubectl kustomize ${dir}`,
    ]);
    expect(result.marker).toMatchObject({
      id: "shop/checkout/promote-v2",
      version: "v2",
      kind: "kustomize",
    });
  });

  it("adds an image entry the kustomization lacks and sets nameSuffix from a template", async () => {
    await createPromoter({ baseDir: dir }).promote({
      experiment: subject({
        kind: "kustomize",
        kustomize: {
          dir: ".",
          images: [{ name: "worker", digest: "sha256:{{ tag }}" }],
          nameSuffix: "-{{ version }}",
        },
      }),
      version: "v2",
    });
    const k = parse(await readFile(join(dir, "kustomization.yaml"), "utf8"));
    expect(k.images[2]).toEqual({ name: "worker", digest: "sha256:2.0.0" });
    expect(k.nameSuffix).toBe("-v2");
  });

  it("changes nothing the second time and says the kustomization already names the winner", async () => {
    const promoter = createPromoter({ baseDir: dir });
    await promoter.promote({ experiment: promoteTag(), version: "v2" });
    const before = await readFile(join(dir, "kustomization.yaml"), "utf8");
    const again = await promoter.promote({ experiment: promoteTag(), version: "v2" });
    expect(await readFile(join(dir, "kustomization.yaml"), "utf8")).toBe(before);
    expect(again.steps[0]).toBe(`${join(dir, "kustomization.yaml")} already named v2`);
  });

  it("writes the kustomization but does not render it when kubectl is missing", async () => {
    const result = await createPromoter({ baseDir: dir }).promote({
      experiment: promoteTag({ kubectl: "kubectl-not-installed-here" }),
      version: "v2",
    });
    expect(result.outcome).toBe("promoted");
    expect(result.rendered).toBeUndefined();
    expect(result.steps[1]).toBe(
      "kubectl-not-installed-here not found: kustomization written, not rendered",
    );
    expect(parse(await readFile(join(dir, "kustomization.yaml"), "utf8")).images[0].newTag).toBe(
      "2.0.0",
    );
  });

  it("fails naming kubectl when the manifests must be applied and kubectl is missing", async () => {
    const run = createPromoter({ baseDir: dir }).promote({
      experiment: promoteTag({ kubectl: "kubectl-not-installed-here", apply: true }),
      version: "v2",
    });
    await expect(run).rejects.toThrow(
      `kustomize promotion of v2 failed: rendering ${dir}: kubectl-not-installed-here was not found (is it installed and on PATH?)`,
    );
  });

  it("writes the rendering to the output file and pipes it to kubectl apply -f -", async () => {
    const kubectl = await toolDoubles({
      kubectl: { delegate: { program: "kubectl", when: "kustomize" } },
    });
    const binary = join(kubectl.dir, "kubectl");
    const result = await createPromoter({ baseDir: dir }).promote({
      experiment: promoteTag({ kubectl: binary, apply: true, output: "all.yaml" }),
      version: "v2",
    });
    const rendered = await readFile(join(dir, "all.yaml"), "utf8");
    expect(rendered).toContain("image: registry.example/checkout:2.0.0");
    const calls = await kubectl.calls("kubectl");
    expect(calls.map((c) => c.argv)).toEqual([
      ["kustomize", dir],
      ["apply", "-f", "-"],
    ]);
    expect(calls[1]?.stdin).toBe(rendered);
    expect(result.steps).toEqual([
      `wrote ${join(dir, "kustomization.yaml")}`,
      `ran ${binary} kustomize ${dir}`,
      `wrote ${join(dir, "all.yaml")}`,
      `ran ${binary} apply -f -`,
    ]);
  });

  it("names the output file it could not write", async () => {
    const run = createPromoter({ baseDir: dir }).promote({
      experiment: promoteTag({ output: "no-such-dir/all.yaml" }),
      version: "v2",
    });
    await expect(run).rejects.toThrow(
      `kustomize promotion of v2 failed: writing ${join(dir, "no-such-dir/all.yaml")}: ENOENT`,
    );
  });

  it("names the directory when there is no kustomization in it", async () => {
    const run = createPromoter({ baseDir: dir }).promote({
      experiment: promoteTag({ dir: "missing" }),
      version: "v2",
    });
    await expect(run).rejects.toThrow(
      `kustomize promotion of v2 failed: reading the kustomization in ${join(dir, "missing")}: no kustomization.yaml / kustomization.yml / Kustomization in ${join(dir, "missing")}`,
    );
  });

  it("reports kubectl's exit code and stderr when the kustomization does not build", async () => {
    await writeFile(
      join(dir, "kustomization.yaml"),
      KUSTOMIZATION.replace("deployment.yaml", "gone.yaml"),
    );
    const run = createPromoter({ baseDir: dir }).promote({
      experiment: promoteTag(),
      version: "v2",
    });
    await expect(run).rejects.toThrow(
      /rendering .*: kubectl kustomize .* exited with code 1; stderr: .*gone\.yaml/s,
    );
  });

  it("in a dry run lists what it would do and leaves the kustomization alone", async () => {
    const result = await createPromoter({ baseDir: dir }).promote({
      experiment: promoteTag({ apply: true }),
      version: "v2",
      dryRun: true,
    });
    expect(result.outcome).toBe("dry-run");
    expect(result.marker).toBeUndefined();
    expect(result.steps).toEqual([
      `would write ${join(dir, "kustomization.yaml")}`,
      `would run kubectl kustomize ${dir}`,
      "would run kubectl apply -f -",
    ]);
    expect(await readFile(join(dir, "kustomization.yaml"), "utf8")).toBe(KUSTOMIZATION);
  });
});
