/**
 * Test doubles for external programs (helm, kubectl, a user's script): a small executable placed
 * in a temp directory put first on PATH, which records its argv, selected environment and stdin as
 * one JSON line per call, then exits as told. It replaces the program, not any code of ours.
 */
import { chmod, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

export interface ToolCall {
  argv: string[];
  env: Record<string, string>;
  stdin: string;
  cwd: string;
}

export interface ToolBehaviour {
  exitCode?: number;
  stderr?: string;
  stdout?: string;
  /** Seconds to hang before exiting (to meet a timeout). */
  hangSeconds?: number;
  /** Run this real program with the same arguments instead, when argv[0] is one of `passArgs`. */
  delegate?: { program: string; when: string };
}

export interface ToolDouble {
  dir: string;
  /** PATH with the doubles first. */
  path: string;
  calls(name: string): Promise<ToolCall[]>;
}

export async function toolDoubles(tools: Record<string, ToolBehaviour>): Promise<ToolDouble> {
  const dir = await mkdtemp(join(tmpdir(), "cohort-tools-"));
  for (const [name, b] of Object.entries(tools)) {
    const log = join(dir, `${name}.calls`);
    const script = `#!${process.execPath}
const fs = require("node:fs");
const { spawnSync } = require("node:child_process");
const argv = process.argv.slice(2);
let stdin = "";
try { stdin = fs.readFileSync(0, "utf8"); } catch {}
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("COHORT_") || k === "EXTRA"));
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ argv, env, stdin, cwd: process.cwd() }) + "\\n");
const b = ${JSON.stringify(b)};
if (b.delegate && argv[0] === b.delegate.when) {
  const r = spawnSync(b.delegate.program, argv, { input: stdin, encoding: "utf8" });
  process.stdout.write(r.stdout); process.stderr.write(r.stderr); process.exit(r.status ?? 1);
}
const finish = () => {
  if (b.stdout) process.stdout.write(b.stdout);
  if (b.stderr) process.stderr.write(b.stderr);
  process.exit(b.exitCode ?? 0);
};
if (b.hangSeconds) setTimeout(finish, b.hangSeconds * 1000); else finish();
`;
    const file = join(dir, name);
    await writeFile(file, script.replace("#!", "#!"), "utf8");
    await chmod(file, 0o755);
  }
  return {
    dir,
    path: `${dir}${delimiter}${process.env.PATH ?? ""}`,
    async calls(name) {
      const text = await readFile(join(dir, `${name}.calls`), "utf8").catch(() => "");
      return text
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as ToolCall);
    },
  };
}
