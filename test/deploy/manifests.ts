/** Reading the deploy/ tree for the manifest tests. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const DEPLOY = join(ROOT, "deploy");

// biome-ignore lint/suspicious/noExplicitAny: manifests are free-form YAML that the tests walk deeply
export type Manifest = Record<string, any>;

/** Every file under `dir` (relative to the repo root) ending in one of `exts`. */
export function filesUnder(dir: string, exts: string[]): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (exts.some((e) => name.endsWith(e))) out.push(relative(ROOT, path));
    }
  };
  walk(join(ROOT, dir));
  return out;
}

/** The YAML documents of a file; throws naming the file and the first parse error. */
export function docsOf(file: string): Manifest[] {
  const docs = parseAllDocuments(readFileSync(join(ROOT, file), "utf8"));
  return docs.map((d, i) => {
    if (d.errors.length > 0) throw new Error(`${file} document ${i}: ${d.errors[0]?.message}`);
    return d.toJS() as Manifest;
  });
}

export function docsOfText(text: string): Manifest[] {
  return parseAllDocuments(text).map((d) => d.toJS() as Manifest);
}

export function one(docs: Manifest[], kind: string): Manifest {
  const found = docs.filter((d) => d?.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0] as Manifest;
}

/** The filter's tag names and metric names, read from its one metrics owner. */
export function filterMetricsSource(): { tags: string[]; metrics: string[] } {
  const text = readFileSync(join(ROOT, "filter/src/plugin/metrics.ts"), "utf8");
  const tags = [...new Set([...text.matchAll(/tag\("(\w+)"/g)].map((m) => m[1] as string))];
  const metrics = [...new Set([...text.matchAll(/"(cohort_\w+)"/g)].map((m) => m[1] as string))];
  return { tags, metrics: metrics.filter((m) => !tags.includes(m)) };
}
