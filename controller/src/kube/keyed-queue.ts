/**
 * Serialises work per key (Pepr's pattern): work for one experiment never runs concurrently with
 * other work for it, while different keys proceed in parallel. A key asked for again while its
 * work waits to start is coalesced into that run, so a burst of watch events costs one sync.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly waiting = new Set<string>();

  constructor(private readonly onError: (key: string, error: unknown) => void) {}

  /** Queues `work` for `key` behind what is already queued; resolves when it has run. */
  push(key: string, work: () => Promise<void>): Promise<void> {
    const tail = this.tails.get(key);
    if (tail !== undefined && this.waiting.has(key)) return tail;
    this.waiting.add(key);
    const run = (tail ?? Promise.resolve())
      .then(() => {
        this.waiting.delete(key);
        return work();
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
