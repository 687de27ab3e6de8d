import { groupResource, prepareCreate, prepareUpdate, readyToDelete } from "./object-rules.js";
import { jsonPatch, mergePatch, PatchApplyError } from "./patch.js";
import { apiVersionOf, type KubeObject, type ResourceKind } from "./resource-kinds.js";
import { parseFieldSelector, parseLabelSelector, type Selector } from "./selectors.js";
import {
  alreadyExists,
  badRequest,
  conflict,
  failure,
  notFound,
  resourceVersionTooLarge,
  successStatus,
  unprocessable,
  unsupportedMediaType,
} from "./status.js";
import { objectKey, type Store } from "./store.js";

export const MERGE_PATCH = "application/merge-patch+json";
export const JSON_PATCH = "application/json-patch+json";
export const STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
export const APPLY_PATCH = "application/apply-patch+yaml";

/** A write's answer: the HTTP code and the body the API server sends. */
export interface WriteResult {
  code: number;
  body: unknown;
}

export interface ListQuery {
  namespace: string | undefined;
  labelSelector: string | null;
  fieldSelector: string | null;
  resourceVersion: string | null;
  resourceVersionMatch: string | null;
  limit: string | null;
  continueToken: string | null;
}

export function resourceId(kind: ResourceKind): string {
  return `${kind.group}/${kind.version}/${kind.plural}`;
}

function parseRevision(text: string, what: string): number {
  if (!/^[0-9]+$/.test(text))
    throw badRequest(`${what}: Invalid value: "${text}": must be a non-negative integer`);
  return Number(text);
}

interface ContinueToken {
  rv: number;
  start: string;
}

function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", rv: t.rv, start: t.start })).toString(
    "base64",
  );
}

function decodeContinue(text: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(text, "base64").toString("utf8")) as {
      rv?: unknown;
      start?: unknown;
    };
    if (typeof t.rv === "number" && typeof t.start === "string")
      return { rv: t.rv, start: t.start };
  } catch {
    // fall through to the error the server gives for a malformed token
  }
  throw badRequest(`continue key is not valid: ${text}`);
}

/**
 * The REST verbs over the store, with the API server's rules: optimistic concurrency on
 * `metadata.resourceVersion`, the status subresource split, generation, finalizers, no-op writes
 * that store nothing, and list semantics for `resourceVersion`, `resourceVersionMatch`, `limit`
 * and `continue` (https://kubernetes.io/docs/reference/using-api/api-concepts/#semantics-for-get-and-list).
 */
export class ResourceApi {
  private uidCounter = 0;
  private nameCounter = 0;

  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
  ) {}

  private timestamp(): string {
    return `${this.now().toISOString().slice(0, 19)}Z`;
  }

  private nextUid(): string {
    this.uidCounter += 1;
    return `00000000-0000-4000-8000-${this.uidCounter.toString(16).padStart(12, "0")}`;
  }

  private nextSuffix(): string {
    this.nameCounter += 1;
    const alphabet = "bcdfghjklmnpqrstvwxz2456789";
    let n = this.nameCounter * 7919;
    let s = "";
    for (let i = 0; i < 5; i++) {
      s += alphabet[n % alphabet.length];
      n = Math.floor(n / alphabet.length);
    }
    return s;
  }

  private mustGet(kind: ResourceKind, namespace: string | undefined, name: string): KubeObject {
    const obj = this.store.get(resourceId(kind), objectKey(namespace, name));
    if (obj === undefined) throw notFound(groupResource(kind), name);
    return obj;
  }

  get(kind: ResourceKind, namespace: string | undefined, name: string): KubeObject {
    return this.mustGet(kind, namespace, name);
  }

  /** The selector a list or watch asks for, including its namespace. */
  selector(kind: ResourceKind, q: Pick<ListQuery, "labelSelector" | "fieldSelector">): Selector {
    const labels = parseLabelSelector(q.labelSelector);
    const fields = parseFieldSelector(q.fieldSelector, kind.selectableFields);
    return (o) => labels(o) && fields(o);
  }

  list(kind: ResourceKind, q: ListQuery): KubeObject {
    const selector = this.selector(kind, q);
    const current = this.store.currentRevision;
    let at = current;
    let start = "";
    if (q.continueToken !== null && q.continueToken !== "") {
      const token = decodeContinue(q.continueToken);
      if (token.rv < this.store.oldestRevision) {
        throw failure(
          410,
          "Expired",
          "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
        );
      }
      at = token.rv;
      start = token.start;
    } else if (
      q.resourceVersion !== null &&
      q.resourceVersion !== "" &&
      q.resourceVersion !== "0"
    ) {
      const rv = parseRevision(q.resourceVersion, "resourceVersion");
      if (rv > current) throw resourceVersionTooLarge(rv, current);
      if (q.resourceVersionMatch === "Exact") at = rv;
    } else if (
      q.resourceVersionMatch !== null &&
      q.resourceVersionMatch !== "" &&
      (q.resourceVersion ?? "") === ""
    ) {
      throw badRequest(
        "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided",
      );
    }
    const all =
      at === current ? this.store.list(resourceId(kind)) : this.store.listAt(resourceId(kind), at);
    const keyOf = (o: KubeObject) => objectKey(o.metadata?.namespace, o.metadata?.name ?? "");
    let items = all.filter(
      (o) =>
        (q.namespace === undefined || o.metadata?.namespace === q.namespace) &&
        selector(o) &&
        keyOf(o) > start,
    );
    const metadata: Record<string, unknown> = { resourceVersion: String(at) };
    const limit = q.limit === null || q.limit === "" ? 0 : parseRevision(q.limit, "limit");
    if (limit > 0 && items.length > limit) {
      metadata.remainingItemCount = items.length - limit;
      items = items.slice(0, limit);
      const last = items[items.length - 1];
      metadata.continue = encodeContinue({
        rv: at,
        start: last === undefined ? start : keyOf(last),
      });
    }
    return {
      apiVersion: apiVersionOf(kind),
      kind: `${kind.kind}List`,
      metadata,
      // Built-in lists carry items without apiVersion/kind; custom resource lists keep them.
      items: kind.custom
        ? items
        : items.map((o) => {
            const { apiVersion: _a, kind: _k, ...rest } = o;
            return rest;
          }),
    };
  }

  create(
    kind: ResourceKind,
    namespace: string | undefined,
    body: KubeObject,
    dryRun: boolean,
  ): WriteResult {
    const obj = prepareCreate(kind, body, {
      namespace,
      uid: this.nextUid(),
      now: this.timestamp(),
      generateSuffix: () => this.nextSuffix(),
    });
    const name = obj.metadata?.name ?? "";
    const key = objectKey(namespace, name);
    if (this.store.get(resourceId(kind), key) !== undefined)
      throw alreadyExists(groupResource(kind), name);
    if (dryRun) return { code: 201, body: obj };
    return { code: 201, body: this.store.commit(resourceId(kind), "ADDED", key, obj) };
  }

  private write(
    kind: ResourceKind,
    namespace: string | undefined,
    name: string,
    current: KubeObject,
    incoming: KubeObject,
    subresource: string | undefined,
    requireResourceVersion: boolean,
    dryRun: boolean,
  ): WriteResult {
    const next = prepareUpdate(kind, current, incoming, {
      subresource,
      requireResourceVersion,
      urlName: name,
      namespace,
    });
    if (next === undefined || dryRun) return { code: 200, body: next ?? current };
    const key = objectKey(namespace, name);
    const type = readyToDelete(next) ? "DELETED" : "MODIFIED";
    return { code: 200, body: this.store.commit(resourceId(kind), type, key, next) };
  }

  update(
    kind: ResourceKind,
    namespace: string | undefined,
    name: string,
    body: KubeObject,
    subresource: string | undefined,
    dryRun: boolean,
  ): WriteResult {
    this.checkSubresource(kind, subresource);
    const current = this.mustGet(kind, namespace, name);
    // Custom resources forbid unconditional updates (customResourceStrategy.AllowUnconditionalUpdate).
    return this.write(
      kind,
      namespace,
      name,
      current,
      body,
      subresource,
      kind.custom === true,
      dryRun,
    );
  }

  patch(
    kind: ResourceKind,
    namespace: string | undefined,
    name: string,
    contentType: string,
    patchBody: unknown,
    subresource: string | undefined,
    dryRun: boolean,
  ): WriteResult {
    this.checkSubresource(kind, subresource);
    const accepted = kind.custom
      ? [JSON_PATCH, MERGE_PATCH, APPLY_PATCH]
      : [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH];
    if (contentType === APPLY_PATCH) {
      // Not the real server's answer: say plainly that the fake lacks it, so no test trusts it.
      throw failure(
        415,
        "UnsupportedMediaType",
        "fake-kube does not implement server-side apply (application/apply-patch+yaml)",
      );
    }
    if (!accepted.includes(contentType)) {
      throw unsupportedMediaType(contentType, accepted);
    }
    const current = this.mustGet(kind, namespace, name);
    let patched: unknown;
    if (contentType === JSON_PATCH) {
      try {
        patched = jsonPatch(current, patchBody);
      } catch (e) {
        if (e instanceof PatchApplyError) throw unprocessable(e.message);
        throw e;
      }
    } else {
      // Strategic merge patch of built-ins is treated as a JSON merge patch (no patchMergeKey lists).
      if (typeof patchBody !== "object" || patchBody === null || Array.isArray(patchBody)) {
        throw badRequest(
          "error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}",
        );
      }
      patched = mergePatch(current, patchBody);
    }
    return this.write(
      kind,
      namespace,
      name,
      current,
      patched as KubeObject,
      subresource,
      false,
      dryRun,
    );
  }

  delete(
    kind: ResourceKind,
    namespace: string | undefined,
    name: string,
    options: Record<string, unknown> | undefined,
    dryRun: boolean,
  ): WriteResult {
    const current = this.mustGet(kind, namespace, name);
    const meta = current.metadata ?? {};
    const pre = (options?.preconditions ?? {}) as { uid?: string; resourceVersion?: string };
    if (pre.uid !== undefined && pre.uid !== meta.uid) {
      throw conflict(
        groupResource(kind),
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${meta.uid}`,
      );
    }
    if (pre.resourceVersion !== undefined && pre.resourceVersion !== meta.resourceVersion) {
      throw conflict(
        groupResource(kind),
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion}`,
      );
    }
    const key = objectKey(namespace, name);
    if ((meta.finalizers ?? []).length > 0) {
      // Finalizers hold the object: it is marked terminating (202 Accepted) until they are removed.
      if (meta.deletionTimestamp !== undefined || dryRun) return { code: 202, body: current };
      meta.deletionTimestamp = this.timestamp();
      meta.deletionGracePeriodSeconds = 0;
      if (meta.generation !== undefined) meta.generation += 1;
      current.metadata = meta;
      return { code: 202, body: this.store.commit(resourceId(kind), "MODIFIED", key, current) };
    }
    const gone = dryRun ? current : this.store.commit(resourceId(kind), "DELETED", key, current);
    return { code: 200, body: successStatus(groupResource(kind), name, gone.metadata?.uid ?? "") };
  }

  deleteCollection(kind: ResourceKind, q: ListQuery, dryRun: boolean): WriteResult {
    const list = this.list(kind, {
      ...q,
      limit: null,
      continueToken: null,
      resourceVersion: null,
      resourceVersionMatch: null,
    });
    const items = (list.items as KubeObject[]).map((o) => {
      const name = o.metadata?.name ?? "";
      this.delete(kind, o.metadata?.namespace, name, undefined, dryRun);
      return { ...o, apiVersion: apiVersionOf(kind), kind: kind.kind };
    });
    return { code: 200, body: { ...list, items } };
  }

  private checkSubresource(kind: ResourceKind, subresource: string | undefined): void {
    if (subresource === undefined) return;
    if (subresource !== "status" || !kind.statusSubresource) {
      throw notFound(groupResource(kind), `${subresource}`);
    }
  }

  /** Creates `obj` as a POST would, then writes its `status` as a status update would. */
  seed(kind: ResourceKind, obj: KubeObject): KubeObject {
    const namespace = kind.namespaced ? (obj.metadata?.namespace ?? "default") : undefined;
    const created = this.create(kind, namespace, obj, false).body as KubeObject;
    if (obj.status === undefined || !kind.statusSubresource) return created;
    const name = created.metadata?.name ?? "";
    return this.update(kind, namespace, name, { ...created, status: obj.status }, "status", false)
      .body as KubeObject;
  }
}
