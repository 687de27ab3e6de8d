import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { acquireStateLock } from "../../../controller/src/local/state-lock.js";
import { workspace } from "./harness.js";

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

describe("the state file's lock", () => {
  it("refuses a second run on a state file another live run holds, naming its pid", async () => {
    const ws = await workspace();
    const other = otherProcess();
    try {
      await writeFile(`${ws.statePath}.lock`, `${other.pid}\n`);
      await expect(acquireStateLock(ws.statePath)).rejects.toThrow(
        `another cohort run (pid ${other.pid}) is using ${ws.statePath}; stop it first, or pass another --state`,
      );
    } finally {
      await other.stop();
    }
  });

  it("takes over the lock of a run that was killed, and removes it on release", async () => {
    const ws = await workspace();
    const other = otherProcess();
    await other.stop();
    await writeFile(`${ws.statePath}.lock`, `${other.pid}\n`);
    const lock = await acquireStateLock(ws.statePath);
    await expect(acquireStateLock(ws.statePath)).rejects.toThrow(
      "already in use by a run in this process",
    );
    await lock.release();
    expect(existsSync(`${ws.statePath}.lock`)).toBe(false);
  });

  it("removes the temporary file of a write a kill interrupted", async () => {
    const ws = await workspace();
    await writeFile(`${ws.statePath}.4242.tmp`, '{"torn');
    const lock = await acquireStateLock(ws.statePath);
    await lock.release();
    expect(existsSync(`${ws.statePath}.4242.tmp`)).toBe(false);
  });
});
