/**
 * Webhook notifications: a JSON POST (Slack-compatible) per notification, retried with exponential
 * backoff. `notify` returns at once and never throws — a slow or broken chat service must never
 * hold up or fail a decision; deliveries go out one after another, in the order they were made,
 * and a delivery that gives up is logged.
 */
import type { Logger } from "../log.js";
import { type Notification, webhookPayload } from "./notification.js";

export interface Notifier {
  /** Queues a notification; returns immediately. */
  notify(notification: Notification): void;
  /** Resolves when every queued notification was delivered or given up (for shutdown). */
  idle(): Promise<void>;
}

export interface WebhookOptions {
  url: string;
  /** Further attempts after the first (default 4). */
  retries?: number;
  /** Wait before the first retry, doubled each time (default 1000 ms), at most `maxBackoffMs` (30 000). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Per attempt (default 5000 ms). */
  timeoutMs?: number;
  /** The clock's wait; tests pass one that records the delays instead of waiting. */
  sleep?: (ms: number) => Promise<void>;
  log?: Logger;
}

/** 408, 429 and 5xx are worth another try; other 4xx mean the request itself is wrong. */
function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** A Retry-After in seconds, when the server sent one. */
function retryAfterMs(response: Response): number | undefined {
  const value = Number(response.headers.get("retry-after"));
  return Number.isFinite(value) && value > 0 ? value * 1000 : undefined;
}

export function webhookNotifier(opts: WebhookOptions): Notifier {
  const retries = opts.retries ?? 4;
  const backoff = opts.backoffMs ?? 1000;
  const maxBackoff = opts.maxBackoffMs ?? 30_000;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let queue: Promise<void> = Promise.resolve();

  async function deliver(n: Notification): Promise<void> {
    const body = JSON.stringify(webhookPayload(n));
    const fields = { event: n.kind, experiment: n.experiment.name };
    for (let attempt = 0; ; attempt++) {
      let why: string;
      let wait = Math.min(maxBackoff, backoff * 2 ** attempt);
      try {
        const response = await fetch(opts.url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) return;
        why = `HTTP ${response.status}`;
        if (!retryable(response.status)) {
          opts.log?.warn("webhook refused the notification; not retrying", { ...fields, why });
          return;
        }
        wait = Math.min(maxBackoff, retryAfterMs(response) ?? wait);
      } catch (e) {
        why = e instanceof Error ? e.message : String(e);
      }
      if (attempt >= retries) {
        opts.log?.warn("webhook notification given up", { ...fields, why, attempts: attempt + 1 });
        return;
      }
      opts.log?.debug("webhook notification failed; retrying", { ...fields, why, waitMs: wait });
      await sleep(wait);
    }
  }

  return {
    notify(n) {
      queue = queue.then(() => deliver(n)).catch(() => undefined);
    },
    idle() {
      return queue;
    },
  };
}

/** A notifier for when no webhook is configured. */
export const silentNotifier: Notifier = { notify() {}, idle: () => Promise.resolve() };
