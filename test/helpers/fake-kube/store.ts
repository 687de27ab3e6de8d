import { clone } from "./patch.js";
import type { KubeObject } from "./resource-kinds.js";
import { expired } from "./status.js";

export type EventType = "ADDED" | "MODIFIED" | "DELETED";

/** One committed change, kept in history so watches can resume from a resourceVersion. */
export interface StoredEvent {
  rv: number;
  type: EventType;
  /** Which resource ("group/version/plural"); events of other resources are never mixed in. */
  resource: string;
  key: string;
  object: KubeObject;
  /** The object before the change (MODIFIED, DELETED); lets lists be served at an older RV. */
  prev?: KubeObject;
}

export function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ""}/${name}`;
}

/**
 * The fake's etcd: objects by resource and key, one global revision counter that every write
 * bumps (so resourceVersions are monotonically increasing integers, served as strings), and a
 * change history that compaction truncates. Watching or listing exactly at a compacted revision is
 * 410 Gone, as the API server answers once etcd has compacted (5 minutes by default).
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions
 */
export class Store {
  private revision: number;
  private compacted: number;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private history: StoredEvent[] = [];
  private readonly listeners = new Set<(e: StoredEvent) => void>();

  constructor(
    initialRevision = 1,
    private readonly maxHistory = Number.POSITIVE_INFINITY,
  ) {
    this.revision = initialRevision;
    this.compacted = initialRevision;
  }

  /** The latest committed revision: what a list served now reports. */
  get currentRevision(): number {
    return this.revision;
  }

  /** Watches and exact lists must start at or after this revision. */
  get oldestRevision(): number {
    return this.compacted;
  }

  private bucket(resource: string): Map<string, KubeObject> {
    let b = this.objects.get(resource);
    if (b === undefined) {
      b = new Map();
      this.objects.set(resource, b);
    }
    return b;
  }

  get(resource: string, key: string): KubeObject | undefined {
    const o = this.bucket(resource).get(key);
    return o === undefined ? undefined : clone(o);
  }

  /** Every object of the resource, sorted by key as etcd range reads return them. */
  list(resource: string): KubeObject[] {
    return [...this.bucket(resource).entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, o]) => clone(o));
  }

  /** The objects as they were right after revision `rv`, rebuilt by undoing later history. */
  listAt(resource: string, rv: number): KubeObject[] {
    if (rv < this.compacted) throw expired(rv, this.compacted);
    const state = new Map(this.bucket(resource));
    for (let i = this.history.length - 1; i >= 0; i--) {
      const e = this.history[i];
      if (e === undefined || e.rv <= rv) break;
      if (e.resource !== resource) continue;
      if (e.type === "ADDED") state.delete(e.key);
      else if (e.prev !== undefined) state.set(e.key, e.prev);
    }
    return [...state.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, o]) => clone(o));
  }

  /** Changes of `resource` after revision `rv`, or 410 Expired when history no longer reaches it. */
  eventsAfter(resource: string, rv: number): StoredEvent[] {
    if (rv < this.compacted) throw expired(rv, this.compacted);
    return this.history.filter((e) => e.rv > rv && e.resource === resource);
  }

  /** Stamps `object` with the next revision, stores (or removes) it and tells the listeners. */
  commit(resource: string, type: EventType, key: string, object: KubeObject): KubeObject {
    this.revision += 1;
    const stored = clone(object);
    stored.metadata = { ...stored.metadata, resourceVersion: String(this.revision) };
    const bucket = this.bucket(resource);
    const prev = bucket.get(key);
    if (type === "DELETED") bucket.delete(key);
    else bucket.set(key, stored);
    const event: StoredEvent = { rv: this.revision, type, resource, key, object: stored };
    if (prev !== undefined) event.prev = prev;
    this.history.push(event);
    if (this.history.length > this.maxHistory) {
      this.compact(this.history[this.history.length - this.maxHistory - 1]?.rv ?? this.compacted);
    }
    for (const l of this.listeners) l(event);
    return clone(stored);
  }

  /** Forgets history up to and including `rv` (default: all of it), as etcd compaction does. */
  compact(rv = this.revision): void {
    const upTo = Math.min(rv, this.revision);
    this.history = this.history.filter((e) => e.rv > upTo);
    this.compacted = Math.max(this.compacted, upTo);
  }

  subscribe(listener: (e: StoredEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
