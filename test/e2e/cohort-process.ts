/** `cohort` as a user runs it: the built binary in a child process, its output read line by line. */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../dist/controller/src/cli/cohort.js", import.meta.url));

export interface CohortProcess {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** Resolves with the first stderr/stdout line that matches, or rejects when the process exits first. */
  waitForLine(match: (line: string) => boolean): Promise<string>;
  exited: Promise<number | null>;
}

export function spawnCohort(args: string[], cwd: string): CohortProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, COHORT_LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters: { match: (l: string) => boolean; resolve: (l: string) => void }[] = [];
  const feed = (into: string[]) => {
    let rest = "";
    return (chunk: Buffer) => {
      const parts = (rest + chunk.toString("utf8")).split("\n");
      rest = parts.pop() ?? "";
      for (const line of parts) {
        into.push(line);
        for (const w of waiters.splice(0)) {
          if (w.match(line)) w.resolve(line);
          else waiters.push(w);
        }
      }
    };
  };
  child.stdout?.on("data", feed(stdout));
  child.stderr?.on("data", feed(stderr));
  const exited = new Promise<number | null>((resolve) =>
    child.on("close", (code) => resolve(code)),
  );
  return {
    child,
    stdout,
    stderr,
    exited,
    waitForLine: (match) =>
      new Promise((resolve, reject) => {
        const found = [...stdout, ...stderr].find(match);
        if (found !== undefined) return resolve(found);
        waiters.push({ match, resolve });
        void exited.then(() =>
          reject(new Error(`cohort exited before the line; stderr:\n${stderr.join("\n")}`)),
        );
      }),
  };
}
