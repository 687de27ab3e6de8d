import type { ServerResponse } from "node:http";
import type { RequestRecord } from "./request-log.js";
import { type ResourceApi, resourceId } from "./resource-api.js";
import { apiVersionOf, type ResourceKind } from "./resource-kinds.js";
import type { RequestInfo } from "./routes.js";
import { parseFieldSelector } from "./selectors.js";
import {
  badRequest,
  expired,
  resourceVersionTooLarge,
  type Status,
  StatusError,
} from "./status.js";
import type { Store } from "./store.js";
import { WatchStream } from "./watch-stream.js";

/** Answers a request with a Status body (the server's error path). */
export type SendStatus = (res: ServerResponse, rec: RequestRecord, status: Status) => void;

/**
 * Every open watch: starts them with the API server's resourceVersion rules, fans committed
 * changes out to them, and carries the test hooks that end, drop, pause or time them out.
 */
export class WatchHub {
  private readonly watches = new Set<WatchStream>();
  private held: (() => void)[] = [];
  private suspended = false;

  constructor(
    private readonly store: Store,
    private readonly api: ResourceApi,
    private readonly answered: (rec: RequestRecord, code: number) => void,
    private readonly sendStatus: SendStatus,
    public timeoutMs: number | undefined,
  ) {
    store.subscribe((e) => {
      for (const w of this.watches) w.deliver(e);
    });
  }

  select(resource?: ResourceKind): WatchStream[] {
    const id = resource === undefined ? undefined : resourceId(resource);
    return [...this.watches].filter((w) => id === undefined || w.resource === id);
  }

  /** Opens the 200 chunked stream for a watch request (no events yet). */
  open(
    res: ServerResponse,
    rec: RequestRecord,
    info: RequestInfo,
    q: URLSearchParams,
    start: number,
  ): WatchStream {
    const kind = info.kind as ResourceKind;
    const selected = this.api.selector(kind, {
      labelSelector: q.get("labelSelector"),
      fieldSelector: q.get("fieldSelector"),
    });
    // A name in the path (deprecated /watch/.../name form) watches just that object.
    const byName =
      info.name === undefined ? () => true : parseFieldSelector(`metadata.name=${info.name}`);
    const w = new WatchStream(
      res,
      resourceId(kind),
      { namespace: info.namespace, selector: (o) => selected(o) && byName(o) },
      q.get("allowWatchBookmarks") === "true",
      start,
      { apiVersion: apiVersionOf(kind), kind: kind.kind },
      (closed) => this.watches.delete(closed),
    );
    this.watches.add(w);
    this.answered(rec, 200);
    return w;
  }

  /** Ends a freshly opened stream with one ERROR event, recording the Status on the request. */
  fail(w: WatchStream, rec: RequestRecord, status: Status): void {
    rec.watchError = status;
    w.fail(status);
  }

  /**
   * Watch semantics (api-concepts "Semantics for watch"): no resourceVersion or "0" starts with
   * synthetic ADDED events for the current state; a resourceVersion N replays the changes after N,
   * or — when N has been compacted — sends one ERROR event with a 410 Expired Status and ends.
   */
  start(res: ServerResponse, rec: RequestRecord, info: RequestInfo, q: URLSearchParams): void {
    if (this.suspended) {
      this.held.push(() => {
        if (res.destroyed) return;
        try {
          this.start(res, rec, info, q);
        } catch (e) {
          if (e instanceof StatusError) this.sendStatus(res, rec, e.status);
          else throw e;
        }
      });
      return;
    }
    const kind = info.kind as ResourceKind;
    // A bad selector or resourceVersion is a 400 before the stream opens.
    this.api.selector(kind, {
      labelSelector: q.get("labelSelector"),
      fieldSelector: q.get("fieldSelector"),
    });
    const rvText = q.get("resourceVersion") ?? "";
    if (rvText !== "" && !/^[0-9]+$/.test(rvText)) {
      throw badRequest(
        `resourceVersion: Invalid value: "${rvText}": must be a non-negative integer`,
      );
    }
    const current = this.store.currentRevision;
    const fromState = rvText === "" || rvText === "0";
    const rv = fromState ? current : Number(rvText);
    const w = this.open(res, rec, info, q, Math.min(rv, current));
    if (fromState) {
      w.sendInitial(this.store.list(resourceId(kind)));
      if (q.get("sendInitialEvents") === "true")
        w.bookmark(current, { "k8s.io/initial-events-end": "true" });
    } else if (rv > current) {
      this.fail(w, rec, resourceVersionTooLarge(rv, current).status);
      return;
    } else if (rv < this.store.oldestRevision) {
      this.fail(w, rec, expired(rv, this.store.oldestRevision).status);
      return;
    } else {
      for (const e of this.store.eventsAfter(resourceId(kind), rv)) w.deliver(e);
    }
    const timeoutSeconds = Number(q.get("timeoutSeconds") ?? "");
    const timeouts = [
      this.timeoutMs,
      timeoutSeconds > 0 ? timeoutSeconds * 1000 : undefined,
    ].filter((t): t is number => t !== undefined);
    // The real server sends a last BOOKMARK before it ends a watch at its timeout.
    if (timeouts.length > 0)
      w.closeAfter(Math.min(...timeouts), () => w.bookmark(this.store.currentRevision));
  }

  suspend(): void {
    this.suspended = true;
    for (const w of this.watches) w.pause();
  }

  resume(): void {
    this.suspended = false;
    for (const w of this.watches) w.resume();
    for (const start of this.held.splice(0)) start();
  }

  bookmarks(): void {
    for (const w of this.watches) w.bookmark(this.store.currentRevision);
  }

  closeAll(): void {
    this.held = [];
    for (const w of [...this.watches]) w.close();
  }
}
