import type { Verb } from "./routes.js";
import type { Status } from "./status.js";

/** One request as the server saw it, for assertions like "the WasmPlugin was patched once". */
export interface RequestRecord {
  /** 1, 2, 3, ... in arrival order. */
  seq: number;
  method: string;
  /** URL path without the query. */
  path: string;
  query: Record<string, string>;
  verb: Verb | "unknown";
  /** Plural of the addressed resource, e.g. "wasmplugins". */
  resource?: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  contentType?: string;
  /** The user its bearer token names (`kubeconfig({ user })`); undefined for the plain token. */
  user?: string;
  /** Parsed JSON body, or the raw text when it is not JSON; undefined without a body. */
  body?: unknown;
  /** HTTP status sent (for a watch: when the stream opened); 0 for a dropped connection. */
  status?: number;
  /** For a watch that the server ended with an ERROR event: the Status it carried. */
  watchError?: Status;
  /** Set when an injected fault answered instead of the server. */
  injected?: string;
}

export type RequestPredicate = (r: RequestRecord) => boolean;

/** Keeps every request and lets tests wait for one to be answered, with a bounded timeout. */
export class RequestLog {
  private readonly records: RequestRecord[] = [];
  private waiters: { pred: RequestPredicate; resolve: (r: RequestRecord) => void }[] = [];
  private seq = 0;

  start(r: Omit<RequestRecord, "seq">): RequestRecord {
    this.seq += 1;
    const rec = { seq: this.seq, ...r };
    this.records.push(rec);
    return rec;
  }

  /** Marks the request answered with `status`; wakes waiters whose predicate now holds. */
  answered(rec: RequestRecord, status: number): void {
    if (rec.status !== undefined) return;
    rec.status = status;
    const still: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (w.pred(rec)) w.resolve(rec);
      else still.push(w);
    }
    this.waiters = still;
  }

  all(pred?: RequestPredicate): RequestRecord[] {
    return pred === undefined ? [...this.records] : this.records.filter(pred);
  }

  get lastSeq(): number {
    return this.seq;
  }

  clear(): void {
    this.records.length = 0;
  }

  /**
   * The first answered request after `sinceSeq` matching `pred`; rejects after `timeoutMs`
   * naming what it waited for.
   */
  waitFor(
    pred: RequestPredicate,
    opts: { sinceSeq?: number; timeoutMs?: number } = {},
  ): Promise<RequestRecord> {
    const since = opts.sinceSeq ?? 0;
    const done = this.records.find((r) => r.seq > since && r.status !== undefined && pred(r));
    if (done !== undefined) return Promise.resolve(done);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`fake-kube: no matching request within ${opts.timeoutMs ?? 5000} ms`));
      }, opts.timeoutMs ?? 5000);
      const waiter = {
        pred: (r: RequestRecord) => r.seq > since && pred(r),
        resolve: (r: RequestRecord) => {
          clearTimeout(timer);
          resolve(r);
        },
      };
      this.waiters.push(waiter);
    });
  }
}
