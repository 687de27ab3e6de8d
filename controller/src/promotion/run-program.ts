/**
 * Runs a program from an argument array (never through a shell), with a timeout, and reports a
 * failure with its exit code and the end of its stderr.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { ProgramFailed } from "./errors.js";

export interface ProgramRun {
  /** argv[0] is the program, looked up on PATH. */
  argv: readonly string[];
  cwd?: string;
  /** Added to the controller's own environment. */
  env?: Record<string, string>;
  /** Written to the program's stdin, then stdin is closed. */
  input?: string;
  timeoutMs: number;
}

export interface ProgramOutput {
  stdout: string;
  stderr: string;
}

/** How much of stderr an error quotes: its last lines, where programs put the reason. */
const EXCERPT_CHARS = 600;

export function excerpt(text: string): string {
  const t = text.trim();
  return t.length <= EXCERPT_CHARS ? t : `…${t.slice(t.length - EXCERPT_CHARS)}`;
}

/** `helm upgrade --install web ./chart`: a command line for messages (quoting what needs it). */
export function showArgv(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(" ");
}

export function runProgram(run: ProgramRun): Promise<ProgramOutput> {
  const [program, ...args] = run.argv;
  const shown = showArgv(run.argv);
  return new Promise((resolve, reject) => {
    if (program === undefined) {
      reject(new ProgramFailed("no program given", null, ""));
      return;
    }
    const child = spawn(program, args, {
      cwd: run.cwd,
      env: { ...process.env, ...run.env },
      shell: false,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 2000).unref();
    }, run.timeoutMs);
    child.on("error", (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const why =
        e.code !== "ENOENT"
          ? `${shown} could not start: ${e.message}`
          : run.cwd !== undefined && !existsSync(run.cwd)
            ? `${shown} could not start: its working directory ${run.cwd} does not exist`
            : `${program} was not found (is it installed and on PATH?)`;
      reject(new ProgramFailed(why, null, stderr, { cause: e }));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (timedOut) {
        reject(
          new ProgramFailed(
            `${shown} ran longer than ${run.timeoutMs / 1000}s and was stopped${stderr.trim() === "" ? "" : `; stderr: ${excerpt(stderr)}`}`,
            code,
            stderr,
          ),
        );
      } else if (code !== 0) {
        const how = code === null ? `was killed by ${signal}` : `exited with code ${code}`;
        const tail = stderr.trim() === "" ? " (no stderr)" : `; stderr: ${excerpt(stderr)}`;
        reject(new ProgramFailed(`${shown} ${how}${tail}`, code, stderr));
      } else {
        resolve({ stdout, stderr });
      }
    });
    child.stdin.on("error", () => {
      // The program may exit without reading its stdin; its exit code tells what happened.
    });
    child.stdin.end(run.input ?? "");
  });
}
