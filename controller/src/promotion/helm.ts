/**
 * Helm promotion: write the winner's values file (dotted keys from `values`, templates filled with
 * the winner's variables) and/or run `helm upgrade --install RELEASE CHART -f VALUES` from an
 * argument array, with the promotion's timeout. Both steps are idempotent: the same winner writes
 * the same bytes, and an upgrade to the same values converges.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import type { HelmPromotion } from "../core/experiment/index.js";
import { type Backend, type BackendContext, resolvePath, step } from "./backend.js";
import { runProgram, showArgv } from "./run-program.js";
import { fill, fillRecord } from "./template.js";
import { writeAtomic } from "./write-atomic.js";

type Tree = { [key: string]: string | Tree };

/**
 * `{"image.tag": "v2", "image.repository": "r"}` → `{image: {tag: "v2", repository: "r"}}`; a dot
 * written `\.` stays in the key (`podAnnotations.prometheus\.io/scrape`), as in `helm --set`.
 */
export function nestValues(flat: Record<string, string>): Tree {
  const root: Tree = {};
  for (const key of Object.keys(flat).sort()) {
    const parts = key.split(/(?<!\\)\./).map((p) => p.replaceAll("\\.", "."));
    let node = root;
    parts.slice(0, -1).forEach((part, i) => {
      const next = node[part];
      if (typeof next === "string") {
        throw new Error(
          `values key ${key} goes inside ${parts.slice(0, i + 1).join(".")}, which is a value`,
        );
      }
      node[part] ??= {};
      node = node[part] as Tree;
    });
    const last = parts[parts.length - 1] as string;
    if (typeof node[last] === "object") {
      throw new Error(`values key ${key} is a value and also holds other keys`);
    }
    node[last] = flat[key] as string;
  }
  return root;
}

export function valuesYaml(settings: HelmPromotion, ctx: BackendContext): string {
  const flat = fillRecord(settings.values ?? {}, ctx.values, "spec.promotion.helm.values");
  const who =
    ctx.values.namespace === "" ? ctx.values.name : `${ctx.values.namespace}/${ctx.values.name}`;
  return `# Written by cohort: ${ctx.values.version} won experiment ${who}.\n${stringify(nestValues(flat))}`;
}

export function helmArgv(
  settings: HelmPromotion,
  ctx: BackendContext,
  valuesPath: string,
): string[] {
  const argv = [
    settings.helm ?? "helm",
    "upgrade",
    "--install",
    settings.release ?? "",
    settings.chart ?? "",
  ];
  if (settings.namespace !== undefined) argv.push("--namespace", settings.namespace);
  argv.push("-f", valuesPath);
  (settings.args ?? []).forEach((a, i) => {
    argv.push(fill(a, ctx.values, `spec.promotion.helm.args[${i}]`));
  });
  return argv;
}

export function helmBackend(settings: HelmPromotion): Backend {
  const kind = "helm";
  return {
    kind,
    async run(ctx) {
      const text = await step(kind, ctx, "filling the values", async () =>
        valuesYaml(settings, ctx),
      );
      const file =
        settings.valuesFile === undefined ? undefined : resolvePath(ctx, settings.valuesFile);
      const runsHelm = settings.release !== undefined && settings.chart !== undefined;
      const steps: string[] = [];
      if (ctx.dryRun) {
        if (file !== undefined) steps.push(`would write ${file}`);
        if (runsHelm)
          steps.push(`would run ${showArgv(helmArgv(settings, ctx, file ?? "<values>"))}`);
        return { steps };
      }
      if (file !== undefined) {
        const wrote = await step(kind, ctx, `writing ${file}`, () => writeAtomic(file, text));
        steps.push(
          wrote ? `wrote ${file}` : `${file} already holds ${ctx.values.version}'s values`,
        );
      }
      if (!runsHelm) return { steps };
      const temp = file === undefined ? await mkdtemp(join(tmpdir(), "cohort-helm-")) : undefined;
      try {
        const valuesPath = file ?? join(temp as string, "values.yaml");
        if (temp !== undefined) await writeAtomic(valuesPath, text);
        const argv = helmArgv(settings, ctx, valuesPath);
        await step(kind, ctx, `running ${showArgv(argv.slice(0, 5))}`, () =>
          runProgram({ argv, cwd: ctx.baseDir, timeoutMs: ctx.timeoutMs }),
        );
        steps.push(`ran ${showArgv(argv)}`);
      } finally {
        if (temp !== undefined) await rm(temp, { recursive: true, force: true });
      }
      return { steps };
    },
  };
}
