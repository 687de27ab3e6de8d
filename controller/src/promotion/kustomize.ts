/**
 * Kustomize promotion: set the winner in a kustomization (its `images` entries and/or
 * `nameSuffix`), write it atomically, render it with `kubectl kustomize` where kubectl is present,
 * optionally write the rendering to a file and apply it with `kubectl apply -f -`.
 *
 * The edit keeps the file's comments and every other field; an image entry is found by `name`
 * (added when missing) and only the fields the settings give are replaced. Setting `newTag` drops
 * a `digest` and the other way round, so the two never disagree.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Document, isMap, isSeq, parseDocument, YAMLMap } from "yaml";
import type { KustomizePromotion } from "../core/experiment/index.js";
import { type Backend, type BackendContext, resolvePath, step } from "./backend.js";
import { ProgramFailed } from "./errors.js";
import { runProgram } from "./run-program.js";
import { fill } from "./template.js";
import { writeAtomic } from "./write-atomic.js";

const FILE_NAMES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

async function findKustomization(dir: string): Promise<{ path: string; text: string }> {
  for (const name of FILE_NAMES) {
    const path = join(dir, name);
    const text = await readFile(path, "utf8").catch(() => undefined);
    if (text !== undefined) return { path, text };
  }
  throw new Error(`no ${FILE_NAMES.join(" / ")} in ${dir}`);
}

function setImage(doc: Document, image: Record<string, string | undefined>): void {
  let images = doc.get("images");
  if (!isSeq(images)) {
    doc.set("images", doc.createNode([]));
    images = doc.get("images");
  }
  if (!isSeq(images)) return;
  let entry = images.items.find((item) => isMap(item) && item.get("name") === image.name);
  if (!isMap(entry)) {
    entry = new YAMLMap();
    (entry as YAMLMap).set("name", image.name);
    images.items.push(entry);
  }
  const map = entry as YAMLMap;
  if (image.newName !== undefined) map.set("newName", image.newName);
  if (image.newTag !== undefined) {
    map.set("newTag", image.newTag);
    if (image.digest === undefined) map.delete("digest");
  }
  if (image.digest !== undefined) {
    map.set("digest", image.digest);
    if (image.newTag === undefined) map.delete("newTag");
  }
}

/** The kustomization text with the winner set in it. */
export function setWinner(text: string, settings: KustomizePromotion, ctx: BackendContext): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`not valid YAML: ${doc.errors[0]?.message}`);
  if (!isMap(doc.contents)) throw new Error("is not a YAML mapping");
  (settings.images ?? []).forEach((image, i) => {
    const at = `spec.promotion.kustomize.images[${i}]`;
    const filled: Record<string, string | undefined> = { name: image.name };
    for (const f of ["newName", "newTag", "digest"] as const) {
      const t = image[f];
      if (t !== undefined) filled[f] = fill(t, ctx.values, `${at}.${f}`);
    }
    setImage(doc, filled);
  });
  if (settings.nameSuffix !== undefined) {
    doc.set(
      "nameSuffix",
      fill(settings.nameSuffix, ctx.values, "spec.promotion.kustomize.nameSuffix"),
    );
  }
  return doc.toString();
}

export function kustomizeBackend(settings: KustomizePromotion): Backend {
  const kind = "kustomize";
  return {
    kind,
    async run(ctx) {
      const dir = resolvePath(ctx, settings.dir);
      const kubectl = settings.kubectl ?? "kubectl";
      const found = await step(kind, ctx, `reading the kustomization in ${dir}`, () =>
        findKustomization(dir),
      );
      const next = await step(
        kind,
        ctx,
        `setting ${ctx.values.version} in ${found.path}`,
        async () => setWinner(found.text, settings, ctx),
      );
      const steps: string[] = [];
      if (ctx.dryRun) {
        steps.push(
          next === found.text
            ? `${found.path} already names ${ctx.values.version}`
            : `would write ${found.path}`,
          `would run ${kubectl} kustomize ${dir}`,
        );
        if (settings.output !== undefined)
          steps.push(`would write ${resolvePath(ctx, settings.output)}`);
        if (settings.apply === true) steps.push(`would run ${kubectl} apply -f -`);
        return { steps };
      }
      const wrote = await step(kind, ctx, `writing ${found.path}`, () =>
        writeAtomic(found.path, next),
      );
      steps.push(
        wrote ? `wrote ${found.path}` : `${found.path} already named ${ctx.values.version}`,
      );
      let rendered: string;
      try {
        rendered = (
          await runProgram({ argv: [kubectl, "kustomize", dir], timeoutMs: ctx.timeoutMs })
        ).stdout;
      } catch (e) {
        const missing =
          e instanceof ProgramFailed && e.exitCode === null && /was not found/.test(e.message);
        if (!missing || settings.apply === true || settings.output !== undefined) {
          return step(kind, ctx, `rendering ${dir}`, () => Promise.reject(e));
        }
        steps.push(`${kubectl} not found: kustomization written, not rendered`);
        return { steps };
      }
      steps.push(`ran ${kubectl} kustomize ${dir}`);
      if (settings.output !== undefined) {
        const out = resolvePath(ctx, settings.output);
        const changed = await step(kind, ctx, `writing ${out}`, () => writeAtomic(out, rendered));
        steps.push(changed ? `wrote ${out}` : `${out} already up to date`);
      }
      if (settings.apply === true) {
        await step(kind, ctx, "applying the rendered manifests", () =>
          runProgram({
            argv: [kubectl, "apply", "-f", "-"],
            input: rendered,
            timeoutMs: ctx.timeoutMs,
          }),
        );
        steps.push(`ran ${kubectl} apply -f -`);
      }
      return { steps, rendered };
    },
  };
}
