/**
 * deploy/Dockerfile, checked structurally: Docker cannot run here, so these tests read the file and
 * hold it to the repository — what it copies exists (or is what the build produces), it runs as
 * the Deployment's user, and its entry point is the package's bin.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEPLOY, docsOf, type Manifest, one, ROOT } from "./manifests.js";

interface Instruction {
  op: string;
  args: string;
}

/** The Dockerfile's stages: instructions without comments, continuation lines joined. */
function stages(text: string): Instruction[][] {
  const lines = text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
  const out: Instruction[][] = [];
  for (const line of lines) {
    const [op = "", ...rest] = line.split(/\s+/);
    const ins = { op: op.toUpperCase(), args: rest.join(" ") };
    if (ins.op === "FROM") out.push([]);
    out.at(-1)?.push(ins);
  }
  return out;
}

/** A COPY's sources, destination and --from stage. */
function copyOf(args: string): { from?: string; sources: string[]; dest: string } {
  const words = args.split(/\s+/);
  const from = words.find((w) => w.startsWith("--from="))?.slice("--from=".length);
  const paths = words.filter((w) => !w.startsWith("--"));
  const dest = paths.pop() as string;
  return { ...(from === undefined ? {} : { from }), sources: paths, dest };
}

const text = readFileSync(join(DEPLOY, "Dockerfile"), "utf8");
const [build = [], runtime = []] = stages(text);
const all = (stage: Instruction[], op: string) => stage.filter((i) => i.op === op);
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const workdir = (stage: Instruction[]) => all(stage, "WORKDIR").at(-1)?.args;

describe("deploy/Dockerfile (checked without Docker, which cannot run here)", () => {
  it("builds in one stage and runs from a slim Node 20 in another, named by the copy", () => {
    expect(all(build, "FROM")[0]?.args).toMatch(/^node:20-[\w-]*slim AS build$/);
    expect(all(runtime, "FROM")[0]?.args).toMatch(/^node:20-[\w-]*slim$/);
    expect(pkg.engines.node).toBe(">=20");
    const runs = all(build, "RUN").map((r) => r.args);
    expect(runs.join(" && ")).toMatch(/npm ci .*&& npm run build && npm prune --omit=dev/);
  });

  it("copies from the build context only files that exist in the repository", () => {
    const sources = all(build, "COPY")
      .map((c) => copyOf(c.args))
      .filter((c) => c.from === undefined)
      .flatMap((c) => c.sources);
    expect(sources.length).toBeGreaterThan(5);
    expect(sources.filter((s) => !existsSync(join(ROOT, s)))).toEqual([]);
    // the build's inputs: what tsc and asc read
    for (const needed of ["tsconfig.json", "asconfig.json", "controller", "sidecar", "filter"])
      expect(sources).toContain(needed);
    // and the ignore file does not hide one of them
    const ignored = readFileSync(join(DEPLOY, "Dockerfile.dockerignore"), "utf8")
      .split("\n")
      .filter((l) => l !== "" && !l.startsWith("#"));
    expect(sources.filter((s) => ignored.includes(s))).toEqual([]);
  });

  it("copies into the runtime only what the build stage has or produces", () => {
    const tsconfig = JSON.parse(readFileSync(join(ROOT, "tsconfig.json"), "utf8"));
    const asconfig = JSON.parse(readFileSync(join(ROOT, "asconfig.json"), "utf8"));
    const wasmDirs = Object.values(asconfig.targets as Record<string, { outFile: string }>).map(
      (t) => t.outFile.slice(0, t.outFile.lastIndexOf("/")),
    );
    const copiedIn = all(build, "COPY").flatMap((c) => copyOf(c.args).sources);
    const produced = new Set([
      "package.json",
      "package-lock.json",
      "node_modules", // npm ci, pruned
      tsconfig.compilerOptions.outDir,
      ...wasmDirs,
      ...copiedIn,
    ]);
    const dir = `${workdir(build)}/`;
    const fromBuild = all(runtime, "COPY")
      .map((c) => copyOf(c.args))
      .filter((c) => c.from === "build")
      .flatMap((c) => c.sources);
    expect(fromBuild.map((s) => s.slice(dir.length)).sort()).toEqual(
      ["dist", "filter/build", "node_modules", "package-lock.json", "package.json"].sort(),
    );
    for (const s of fromBuild) {
      expect(s.startsWith(dir), s).toBe(true);
      expect(produced.has(s.slice(dir.length)), s).toBe(true);
    }
    // same layout as the build, so the code finds its package root and filter/build/filter.wasm
    expect(workdir(runtime)).toBe(workdir(build));
    expect(all(runtime, "RUN")).toEqual([]);
  });

  it("runs as the non-root user of the Deployment and the chart, writing only under /tmp", () => {
    const pod = one(docsOf("deploy/base/deployment.yaml"), "Deployment").spec.template.spec;
    const { runAsUser, runAsGroup } = pod.securityContext;
    expect(all(runtime, "USER").at(-1)?.args).toBe(`${runAsUser}:${runAsGroup}`);
    expect(runAsUser).not.toBe(0);
    const chart = readFileSync(join(DEPLOY, "chart/templates/deployment.yaml"), "utf8");
    expect(chart).toContain(`runAsUser: ${runAsUser}`);
    expect(chart).toContain(`runAsGroup: ${runAsGroup}`);
    // the root filesystem is read-only; HOME (caches of helm, kubectl) is the writable /tmp
    expect(pod.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    expect(all(runtime, "ENV").map((e) => e.args)).toEqual(["NODE_ENV=production HOME=/tmp"]);
    const tmp = pod.containers[0].volumeMounts.find((m: Manifest) => m.mountPath === "/tmp");
    expect(pod.volumes.find((v: Manifest) => v.name === tmp?.name)?.emptyDir).toBeDefined();
  });

  it("starts the package's bin with node", () => {
    const entry = JSON.parse(all(runtime, "ENTRYPOINT").at(-1)?.args ?? "null");
    expect(entry).toEqual(["node", pkg.bin.cohort]);
    // the bin is the compiled CLI entry point, whose source exists
    const source = (pkg.bin.cohort as string).replace(/^dist\//, "").replace(/\.js$/, ".ts");
    expect(existsSync(join(ROOT, source))).toBe(true);
  });
});
