/**
 * Time as the controller sees it: a clock to read and a scheduler to wait with. Injected, so tests
 * drive intervals, lease expiry and backoff with a manual clock instead of sleeping.
 */
export interface Clock {
  now(): Date;
}

/** A pending callback; `cancel` is safe to call after it ran. */
export interface Timer {
  cancel(): void;
}

export interface Scheduler {
  /** Runs `fn` once, `ms` milliseconds from now. */
  after(ms: number, fn: () => void): Timer;
}

/** The process's clock and `setTimeout`; timers never keep the process alive on their own. */
export const systemTime: Clock & Scheduler = {
  now: () => new Date(),
  after(ms, fn) {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref();
    return { cancel: () => clearTimeout(t) };
  },
};
