/**
 * One run per state file: two `cohort run` on the same state would both push weights and both
 * promote. The lock is a file beside the state holding the owner's pid, created exclusively; a
 * lock whose process is gone (a run killed with -9) is stale and taken over.
 */
import { mkdir, open, readdir, readFile, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { StateFileError } from "./errors.js";

export interface StateLock {
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but is someone else's
    return (e as { code?: string }).code === "EPERM";
  }
}

async function create(lockPath: string): Promise<boolean> {
  try {
    const fh = await open(lockPath, "wx");
    await fh.writeFile(`${process.pid}\n`);
    await fh.close();
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === "EEXIST") return false;
    throw new StateFileError(`cannot create lock ${lockPath}`, { cause: e });
  }
}

/** Temporary files of writes a kill interrupted (`state.json.<pid>.tmp`); only the lock holder writes. */
async function removeTornWrites(statePath: string): Promise<void> {
  const base = basename(statePath);
  const dir = dirname(statePath);
  const torn = (await readdir(dir)).filter(
    (f) => f.startsWith(`${base}.`) && /^\d+\.tmp$/.test(f.slice(base.length + 1)),
  );
  await Promise.all(torn.map((f) => rm(join(dir, f), { force: true })));
}

export async function acquireStateLock(statePath: string): Promise<StateLock> {
  const lockPath = `${statePath}.lock`;
  await mkdir(dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await create(lockPath)) {
      await removeTornWrites(statePath);
      return { release: () => rm(lockPath, { force: true }) };
    }
    const pid = Number.parseInt(await readFile(lockPath, "utf8").catch(() => ""), 10);
    if (Number.isInteger(pid) && pid !== process.pid && alive(pid))
      throw new StateFileError(
        `another cohort run (pid ${pid}) is using ${statePath}; stop it first, or pass another --state`,
      );
    if (pid === process.pid)
      throw new StateFileError(`${statePath} is already in use by a run in this process`);
    await rm(lockPath, { force: true });
  }
  throw new StateFileError(`cannot take the lock ${lockPath}: another run keeps taking it`);
}
