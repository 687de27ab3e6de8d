/**
 * Time for the local runner: what "now" is and how to wait. The system one uses the wall clock;
 * tests pass a virtual one whose waits return at once, so they never sleep for timing.
 */
export interface Scheduler {
  now(): Date;
  /** Resolves after `ms` (at once when aborted). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemScheduler: Scheduler = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted || ms <= 0) return resolve();
      const done = () => {
        clearTimeout(t);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const t = setTimeout(done, ms);
      signal?.addEventListener("abort", done, { once: true });
    }),
};

/** A clock that moves only when something waits on it: `sleep(ms)` adds `ms` and returns. */
export function virtualScheduler(start = new Date("2026-01-01T00:00:00Z")): Scheduler {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    sleep: async (ms) => {
      t += Math.max(0, ms);
      // let sockets and timers run between waits, as real time would
      await new Promise<void>((r) => setImmediate(r));
    },
  };
}
