import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { HelmPromotion } from "../../../controller/src/core/experiment/index.js";
import { createPromoter } from "../../../controller/src/promotion/index.js";
import { subject } from "./subject.js";
import { type ToolBehaviour, toolDoubles } from "./tool-double.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "cohort-helm-"));
});

const VALUES = {
  "image.tag": "{{ tag }}",
  "image.repository": "registry.example/checkout",
  version: "{{ version }}",
};

async function helmRun(
  behaviour: ToolBehaviour,
  settings: Partial<HelmPromotion>,
  timeoutSeconds?: number,
) {
  const helm = await toolDoubles({ helm: behaviour });
  const promotion = {
    kind: "helm" as const,
    ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
    helm: {
      release: "checkout",
      chart: "./chart",
      namespace: "shop",
      values: VALUES,
      helm: join(helm.dir, "helm"),
      ...settings,
    },
  };
  const run = createPromoter({ baseDir: dir }).promote({
    experiment: subject(promotion),
    version: "v2",
  });
  return { helm, run };
}

describe("helm promotion", () => {
  it("writes the winner's values file, nested from dotted keys, with a header naming the winner", async () => {
    const result = await createPromoter({ baseDir: dir }).promote({
      experiment: subject({ kind: "helm", helm: { valuesFile: "winner.yaml", values: VALUES } }),
      version: "v2",
    });
    expect(await readFile(join(dir, "winner.yaml"), "utf8")).toBe(
      [
        "# Written by cohort: v2 won experiment shop/checkout.",
        "image:",
        "  repository: registry.example/checkout",
        "  tag: 2.0.0",
        "version: v2",
        "",
      ].join("\n"),
    );
    expect(result.steps).toEqual([`wrote ${join(dir, "winner.yaml")}`]);
  });

  it("runs helm from PATH: upgrade --install with the release, chart, namespace, values and extra arguments, no shell", async () => {
    const helm = await toolDoubles({ helm: {} });
    const saved = process.env.PATH;
    process.env.PATH = helm.path;
    const result = await createPromoter({ baseDir: dir })
      .promote({
        experiment: subject({
          kind: "helm",
          helm: {
            release: "checkout",
            chart: "./chart",
            namespace: "shop",
            values: VALUES,
            valuesFile: "winner.yaml",
            args: ["--wait", "--set", "note={{ version }} won"],
          },
        }),
        version: "v2",
      })
      .finally(() => {
        process.env.PATH = saved;
      });
    const [call] = await helm.calls("helm");
    expect(call?.argv).toEqual([
      "upgrade",
      "--install",
      "checkout",
      "./chart",
      "--namespace",
      "shop",
      "-f",
      join(dir, "winner.yaml"),
      "--wait",
      "--set",
      "note=v2 won",
    ]);
    expect(call?.cwd).toBe(dir);
    expect(result.steps[1]).toContain("upgrade --install checkout ./chart --namespace shop -f");
    expect(result.steps[1]).toContain('"note=v2 won"');
  });

  it("hands helm a temporary values file when no valuesFile is kept, and removes it afterwards", async () => {
    const { helm, run } = await helmRun({}, {});
    await run;
    const [call] = await helm.calls("helm");
    const valuesPath = call?.argv[7] as string;
    expect(call?.argv[6]).toBe("-f");
    expect(valuesPath).toMatch(/cohort-helm-.*values\.yaml$/);
    await expect(readFile(valuesPath)).rejects.toThrow(/ENOENT/);
    expect(await readdir(dir)).toEqual([]);
  });

  it("says which helm command failed, with its exit code and the end of its stderr", async () => {
    const { run } = await helmRun(
      {
        exitCode: 1,
        stderr:
          "Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress\n",
      },
      {},
    );
    await expect(run).rejects.toThrow(
      /^helm promotion of v2 failed: running .*helm upgrade --install checkout \.\/chart: .*helm upgrade --install checkout \.\/chart --namespace shop -f \S+ exited with code 1; stderr: Error: UPGRADE FAILED: another operation \(install\/upgrade\/rollback\) is in progress$/,
    );
  });

  it("stops helm when it runs past the promotion's timeout", async () => {
    const { run } = await helmRun({ hangSeconds: 30 }, {}, 0.3);
    await expect(run).rejects.toThrow(/ran longer than 0\.3s and was stopped/);
  });

  it("names the helm binary when it is not installed", async () => {
    const { run } = await helmRun({}, { helm: "helm-not-installed-here" });
    await expect(run).rejects.toThrow(
      "helm-not-installed-here was not found (is it installed and on PATH?)",
    );
  });

  it("keeps an escaped dot inside a key, as helm --set does", async () => {
    await createPromoter({ baseDir: dir }).promote({
      experiment: subject({
        kind: "helm",
        helm: {
          valuesFile: "w.yaml",
          values: { "podAnnotations.cohort\\.dev/winner": "{{ version }}" },
        },
      }),
      version: "v2",
    });
    expect(parse(await readFile(join(dir, "w.yaml"), "utf8"))).toEqual({
      podAnnotations: { "cohort.dev/winner": "v2" },
    });
  });

  it("refuses values whose dotted keys collide, naming the key", async () => {
    const run = createPromoter({ baseDir: dir }).promote({
      experiment: subject({
        kind: "helm",
        helm: { valuesFile: "w.yaml", values: { image: "x", "image.tag": "y" } },
      }),
      version: "v2",
    });
    await expect(run).rejects.toThrow(
      "helm promotion of v2 failed: filling the values: values key image.tag goes inside image, which is a value",
    );
  });

  it("in a dry run shows the helm command and writes nothing", async () => {
    const { helm } = await helmRun({}, {});
    const result = await createPromoter({ baseDir: dir }).promote({
      experiment: subject({
        kind: "helm",
        helm: {
          valuesFile: "w.yaml",
          values: VALUES,
          release: "checkout",
          chart: "./chart",
          helm: join(helm.dir, "helm"),
        },
      }),
      version: "v2",
      dryRun: true,
    });
    expect(result.steps).toEqual([
      `would write ${join(dir, "w.yaml")}`,
      `would run ${join(helm.dir, "helm")} upgrade --install checkout ./chart -f ${join(dir, "w.yaml")}`,
    ]);
    expect(await helm.calls("helm")).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });
});
