/** Collects what a callback-style API emits and lets a test await a condition on it, bounded. */
export class EventRecorder<T> {
  readonly events: T[] = [];
  private waiters: { cond: (events: T[]) => boolean; resolve: () => void }[] = [];

  push = (e: T): void => {
    this.events.push(e);
    this.waiters = this.waiters.filter((w) => {
      if (!w.cond(this.events)) return true;
      w.resolve();
      return false;
    });
  };

  /** Resolves once `cond` holds over everything recorded so far; rejects after `timeoutMs`. */
  until(cond: (events: T[]) => boolean, what: string, timeoutMs = 5000): Promise<void> {
    if (cond(this.events)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${what}; saw ${JSON.stringify(this.events)}`,
          ),
        );
      }, timeoutMs);
      const waiter = {
        cond,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(waiter);
    });
  }
}
