import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { acquireStateLock } from "../../../controller/src/local/state-lock.js";
import { workspace } from "./harness.js";

const TSX = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));
const CONTENDER = fileURLToPath(new URL("./lock-contender.ts", import.meta.url));

/** A process that exists until it is killed: a stand-in for another `cohort run`. */
function otherProcess() {
  const child = spawn("sleep", ["60"], { stdio: "ignore" });
  const exited = new Promise<void>((r) => child.on("exit", () => r()));
  const stop = () => {
    child.kill("SIGKILL");
    return exited;
  };
  return { pid: child.pid as number, stop };
}

/** The lock a run killed with -9 left: its process is gone. */
async function killedRunLock(statePath: string): Promise<void> {
  const other = otherProcess();
  await other.stop();
  await writeFile(`${statePath}.lock.1`, `${other.pid}\n`);
}

/** A `lock-contender.ts` process: ready once loaded, tries the lock on go, holds it until finish. */
function contender(statePath: string) {
  const child = spawn(TSX, [CONTENDER, statePath], { stdio: ["pipe", "pipe", "inherit"] });
  const out = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = new Promise<void>((r) => child.on("exit", () => r()));
  const ready = out.next();
  return {
    ready,
    go: () => child.stdin.write("go\n"),
    answer: ready.then(() => out.next()).then((l) => (l.done ? "exited" : l.value)),
    finish: () => child.stdin.end(),
    exited,
  };
}

describe("the state file's lock", () => {
  it("refuses a second run on a state file another live run holds, naming its pid", async () => {
    const ws = await workspace();
    const other = otherProcess();
    try {
      await writeFile(`${ws.statePath}.lock.1`, `${other.pid}\n`);
      await expect(acquireStateLock(ws.statePath)).rejects.toThrow(
        `another cohort run (pid ${other.pid}) is using ${ws.statePath}; stop it first, or pass another --state`,
      );
    } finally {
      await other.stop();
    }
  });

  it("takes over the lock of a run that was killed, and hands it to the next run on release", async () => {
    const ws = await workspace();
    await killedRunLock(ws.statePath);
    const lock = await acquireStateLock(ws.statePath);
    await expect(acquireStateLock(ws.statePath)).rejects.toThrow(
      "already in use by a run in this process",
    );
    expect(existsSync(`${ws.statePath}.lock.1`)).toBe(false);
    await lock.release();
    const next = await acquireStateLock(ws.statePath);
    await next.release();
  });

  it("gives a killed run's lock to exactly one of several runs taking it over at once", async () => {
    const ws = await workspace();
    await killedRunLock(ws.statePath);
    const contenders = Array.from({ length: 4 }, () => contender(ws.statePath));
    await Promise.all(contenders.map((c) => c.ready));
    for (const c of contenders) c.go();
    const answers = await Promise.all(contenders.map((c) => c.answer));
    for (const c of contenders) c.finish();
    await Promise.all(contenders.map((c) => c.exited));
    expect(answers.filter((a) => a === "held")).toHaveLength(1);
    for (const a of answers.filter((x) => x !== "held"))
      expect(a).toMatch(/^refused: another cohort run \(pid \d+\) is using /);
  });

  it("removes the temporary file of a write a kill interrupted", async () => {
    const ws = await workspace();
    await writeFile(`${ws.statePath}.4242.tmp`, '{"torn');
    const lock = await acquireStateLock(ws.statePath);
    await lock.release();
    expect(existsSync(`${ws.statePath}.4242.tmp`)).toBe(false);
  });
});
