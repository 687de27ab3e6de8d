import type { ServerResponse } from "node:http";
import type { KubeObject } from "./resource-kinds.js";
import type { Selector } from "./selectors.js";
import type { Status } from "./status.js";
import type { StoredEvent } from "./store.js";

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

export interface WatchFilter {
  namespace: string | undefined;
  selector: Selector;
}

/**
 * One open watch: a chunked HTTP/1.1 response carrying one JSON `{type, object}` per line
 * (the `watch.Event` wire form). Objects entering or leaving the selector produce ADDED and
 * DELETED as the API server's watch cache does (k8s.io/apiserver cacheWatcher.convertToWatchEvent).
 */
export class WatchStream {
  private closed = false;
  private paused = false;
  private pending: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  lastRevision: number;

  constructor(
    private readonly res: ServerResponse,
    readonly resource: string,
    private readonly filter: WatchFilter,
    readonly bookmarks: boolean,
    startRevision: number,
    private readonly kindMeta: { apiVersion: string; kind: string },
    private readonly onClose: (w: WatchStream) => void,
  ) {
    this.lastRevision = startRevision;
    res.writeHead(200, {
      "Content-Type": "application/json",
      "Transfer-Encoding": "chunked",
      "Cache-Control": "no-cache, private",
    });
    res.flushHeaders();
    res.on("close", () => this.finish());
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  private matches(obj: KubeObject | undefined): boolean {
    if (obj === undefined) return false;
    if (this.filter.namespace !== undefined && obj.metadata?.namespace !== this.filter.namespace) {
      return false;
    }
    return this.filter.selector(obj);
  }

  private write(type: WatchEventType, object: unknown): void {
    if (this.closed) return;
    const line = `${JSON.stringify({ type, object })}\n`;
    if (this.paused) this.pending.push(line);
    else this.res.write(line);
  }

  /** Sends `e` if this watch should see it; returns whether it did. */
  deliver(e: StoredEvent): boolean {
    if (e.resource !== this.resource || e.rv <= this.lastRevision) return false;
    this.lastRevision = e.rv;
    const now = this.matches(e.object);
    const before = this.matches(e.prev);
    if (e.type === "ADDED" && now) this.write("ADDED", e.object);
    else if (e.type === "DELETED" && before) this.write("DELETED", e.object);
    else if (e.type === "MODIFIED") {
      if (now && before) this.write("MODIFIED", e.object);
      else if (now) this.write("ADDED", e.object);
      else if (before) this.write("DELETED", e.object);
      else return false;
    } else return false;
    return true;
  }

  /** Initial state for watches started without a resourceVersion ("Get State and Start at Most Recent"). */
  sendInitial(objects: KubeObject[]): void {
    for (const o of objects) if (this.matches(o)) this.write("ADDED", o);
  }

  /** A BOOKMARK carries only the kind and the revision the client has now seen everything up to. */
  bookmark(revision: number, annotations?: Record<string, string>): void {
    if (!this.bookmarks) return;
    this.lastRevision = Math.max(this.lastRevision, revision);
    const metadata: Record<string, unknown> = { resourceVersion: String(this.lastRevision) };
    if (annotations !== undefined) metadata.annotations = annotations;
    this.write("BOOKMARK", { ...this.kindMeta, metadata });
  }

  /** An ERROR event, then the stream ends: how the server reports 410 Expired on a watch. */
  fail(status: Status): void {
    this.write("ERROR", status);
    this.close();
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    for (const line of this.pending.splice(0)) if (!this.closed) this.res.write(line);
  }

  closeAfter(ms: number, beforeClose: () => void): void {
    this.timer = setTimeout(() => {
      beforeClose();
      this.close();
    }, ms);
  }

  /** Ends the stream cleanly (terminating chunk); events still buffered by a pause are lost. */
  close(): void {
    if (this.closed) return;
    this.pending = [];
    this.res.end();
    this.finish();
  }

  /** Drops the TCP connection without the terminating chunk, as a crashed server would. */
  reset(): void {
    if (this.closed) return;
    this.res.socket?.destroy();
    this.finish();
  }

  private finish(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.closed) return;
    this.closed = true;
    this.onClose(this);
  }
}
