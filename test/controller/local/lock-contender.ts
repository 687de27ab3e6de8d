/**
 * A process racing for a state lock (run with tsx): says `ready` once loaded and waits for a line
 * on stdin, so all contenders start together; tries the lock, prints `held` or `refused: <why>`, and keeps what it got until
 * stdin closes.
 */
import { createInterface } from "node:readline";
import { acquireStateLock } from "../../../controller/src/local/state-lock.js";

const statePath = process.argv[2] as string;
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
process.stdout.write("ready\n");
await lines.next();
try {
  const lock = await acquireStateLock(statePath);
  process.stdout.write("held\n");
  await lines.next();
  await lock.release();
} catch (e) {
  process.stdout.write(`refused: ${(e as Error).message}\n`);
}
