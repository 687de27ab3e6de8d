/**
 * One run per state file: two `cohort run` on the same state would both push weights and both
 * promote. The lock is a numbered file beside the state, `state.json.lock.N`, holding the owner's
 * pid; the highest number is the lock in force. A run takes the lock by creating the next number
 * exclusively (with its pid already in it: a temporary file hard-linked into place), so of runs
 * racing for it exactly one creates it — whether they race for a free lock, a released one or the
 * stale lock of a run killed with -9. Nothing is ever removed in place of a lock another run may
 * hold: a takeover only adds the next number, and the winner then removes the lower ones (a run
 * whose number turns out not to be the highest gives it up).
 * Release marks the file `released` (atomically) instead of removing it, so the highest number
 * only ever grows.
 */
import { link, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { StateFileError } from "./errors.js";

export interface StateLock {
  release(): Promise<void>;
}

const RELEASED = "released";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but is someone else's
    return (e as { code?: string }).code === "EPERM";
  }
}

function code(e: unknown): string | undefined {
  return (e as { code?: string }).code;
}

/** Lock numbers present beside the state, highest first. */
async function generations(statePath: string): Promise<number[]> {
  const prefix = `${basename(statePath)}.lock.`;
  return (await readdir(dirname(statePath)))
    .filter((f) => f.startsWith(prefix) && /^\d+$/.test(f.slice(prefix.length)))
    .map((f) => Number(f.slice(prefix.length)))
    .sort((a, b) => b - a);
}

/** The pid in a lock file; `released`; or undefined when it is gone or holds no pid. */
async function ownerOf(path: string): Promise<number | typeof RELEASED | undefined> {
  let text: string;
  try {
    text = (await readFile(path, "utf8")).trim();
  } catch (e) {
    if (code(e) === "ENOENT") return undefined;
    throw new StateFileError(`cannot read lock ${path}`, { cause: e });
  }
  if (text === RELEASED) return RELEASED;
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Creates `path` holding our pid, only if it does not exist; false when another run made it. */
async function createExclusive(path: string): Promise<boolean> {
  const tmp = `${path}.${process.pid}.new`;
  try {
    await writeFile(tmp, `${process.pid}\n`);
    await link(tmp, path);
    return true;
  } catch (e) {
    if (code(e) === "EEXIST") return false;
    throw new StateFileError(`cannot create lock ${path}`, { cause: e });
  } finally {
    await rm(tmp, { force: true });
  }
}

/** Lower lock numbers, and leftovers of creations and writes a kill interrupted; only the holder cleans. */
async function removeLeftovers(statePath: string, held: number): Promise<void> {
  const base = basename(statePath);
  const dir = dirname(statePath);
  const leftover = (await readdir(dir)).filter((f) => {
    if (!f.startsWith(`${base}.`)) return false;
    const rest = f.slice(base.length + 1);
    const lower = /^lock\.(\d+)$/.exec(rest);
    if (lower !== null) return Number(lower[1]) < held;
    // `state.json.<pid>.tmp` (a state write) or `state.json.lock.N.<pid>.new` (a lock creation)
    const torn = /^(?:\d+\.tmp|lock\.\d+\.(\d+)\.new)$/.exec(rest);
    return torn !== null && (torn[1] === undefined || !alive(Number(torn[1])));
  });
  await Promise.all(leftover.map((f) => rm(join(dir, f), { force: true })));
}

export async function acquireStateLock(statePath: string): Promise<StateLock> {
  await mkdir(dirname(statePath), { recursive: true });
  for (let attempt = 0; attempt < 5; attempt++) {
    const top = (await generations(statePath))[0];
    if (top !== undefined) {
      const owner = await ownerOf(`${statePath}.lock.${top}`);
      if (owner === process.pid)
        throw new StateFileError(`${statePath} is already in use by a run in this process`);
      if (typeof owner === "number" && alive(owner))
        throw new StateFileError(
          `another cohort run (pid ${owner}) is using ${statePath}; stop it first, or pass another --state`,
        );
    }
    const next = (top ?? 0) + 1;
    const lockPath = `${statePath}.lock.${next}`;
    // another run created it first: look again at who holds it
    if (!(await createExclusive(lockPath))) continue;
    // a run that looked long ago can recreate a number the holder of a higher one cleaned away
    if ((await generations(statePath))[0] !== next) {
      await rm(lockPath, { force: true });
      continue;
    }
    await removeLeftovers(statePath, next);
    return {
      async release() {
        const tmp = `${lockPath}.${process.pid}.new`;
        await writeFile(tmp, `${RELEASED}\n`);
        await rename(tmp, lockPath);
      },
    };
  }
  throw new StateFileError(`cannot take the lock of ${statePath}: other runs keep taking it`);
}
