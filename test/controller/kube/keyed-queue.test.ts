import { describe, expect, it } from "vitest";
import { KeyedQueue } from "../../../controller/src/kube/keyed-queue.js";

/** A promise with its resolve function, to hold work open until the test releases it. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open = () => {};
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

/** Pushes work for `key` that signals its start and then waits for `release`. */
async function running(q: KeyedQueue, key: string, release: Promise<void>, log: string[]) {
  const started = gate();
  void q.push(key, async () => {
    log.push(`${key} start`);
    started.open();
    await release;
    log.push(`${key} end`);
  });
  await started.wait;
}

describe("KeyedQueue", () => {
  it("runs one key's work one at a time, in order, while other keys proceed", async () => {
    const q = new KeyedQueue(() => {});
    const log: string[] = [];
    const release = gate();
    await running(q, "a", release.wait, log);
    void q.push("a", async () => void log.push("a again"));
    await q.push("b", async () => void log.push("b"));
    expect(log).toEqual(["a start", "b"]);
    release.open();
    await q.idle();
    expect(log).toEqual(["a start", "b", "a end", "a again"]);
  });

  it("runs only the newest of the works pushed for a key while one runs", async () => {
    const q = new KeyedQueue(() => {});
    const log: string[] = [];
    const release = gate();
    await running(q, "a", release.wait, log);
    for (let i = 1; i <= 5; i++) void q.push("a", async () => void log.push(`sync ${i}`));
    release.open();
    await q.idle();
    expect(log).toEqual(["a start", "a end", "sync 5"]);
  });

  it("reports a failure to its handler and carries on with the key's next work", async () => {
    const errors: string[] = [];
    const q = new KeyedQueue((key, e) => errors.push(`${key}: ${(e as Error).message}`));
    await q.push("a", async () => {
      throw new Error("boom");
    });
    let ran = false;
    await q.push("a", async () => {
      ran = true;
    });
    expect(errors).toEqual(["a: boom"]);
    expect(ran).toBe(true);
    expect(q.size).toBe(0);
  });
});
