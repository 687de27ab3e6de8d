/**
 * Serialises work per key (Pepr's pattern): work for one experiment never runs concurrently with
 * other work for it, while different keys proceed in parallel. Work pushed for a key whose
 * previous push has not started yet replaces it (the newest wins), so a burst of watch events for
 * one experiment costs one sync.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly pending = new Map<string, () => Promise<void>>();

  constructor(private readonly onError: (key: string, error: unknown) => void) {}

  /** Queues `work` for `key` behind what runs now; resolves when the key's queued work has run. */
  push(key: string, work: () => Promise<void>): Promise<void> {
    const waiting = this.pending.has(key);
    this.pending.set(key, work);
    const tail = this.tails.get(key);
    if (waiting && tail !== undefined) return tail;
    const run = (tail ?? Promise.resolve())
      .then(() => {
        const next = this.pending.get(key);
        this.pending.delete(key);
        return next?.();
      })
      .catch((e: unknown) => this.onError(key, e))
      .finally(() => {
        if (this.tails.get(key) === run) this.tails.delete(key);
      });
    this.tails.set(key, run);
    return run;
  }

  /** How many keys have work queued or running. */
  get size(): number {
    return this.tails.size;
  }

  /** Resolves once no key has work queued or running (work queued meanwhile included). */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
