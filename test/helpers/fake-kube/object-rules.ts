import { clone, jsonEqual } from "./patch.js";
import {
  apiVersionOf,
  type KubeObject,
  type ResourceKind,
  tracksGeneration,
} from "./resource-kinds.js";
import { badRequest, conflict, failure, invalid, type StatusCause } from "./status.js";

/**
 * The strategy rules the API server applies before it stores an object, for the parts a
 * controller can observe (apiextensions-apiserver customresource/strategy.go and
 * status_strategy.go; k8s.io/apiserver rest.BeforeCreate/BeforeUpdate).
 */

export function groupResource(kind: ResourceKind): { group: string; plural: string } {
  return { group: kind.group, plural: kind.plural };
}

function specOf(kind: ResourceKind, obj: KubeObject): KubeObject {
  const copy = clone(obj);
  delete copy.metadata;
  if (kind.statusSubresource) delete copy.status;
  return copy;
}

function validate(kind: ResourceKind, obj: KubeObject): void {
  const causes: StatusCause[] = kind.validate?.(obj) ?? [];
  if (causes.length > 0)
    throw invalid(groupResource(kind), kind.kind, obj.metadata?.name ?? "", causes);
}

/** apiVersion/kind must be absent or name this resource; the server fills them in. */
export function checkTypeMeta(kind: ResourceKind, obj: KubeObject): void {
  const want = apiVersionOf(kind);
  // Custom resources are decoded as unstructured JSON, which needs both; built-ins default them.
  if (kind.custom) {
    for (const field of ["kind", "apiVersion"] as const) {
      if (typeof obj[field] !== "string" || obj[field] === "") {
        throw badRequest(
          `Object '${field === "kind" ? "Kind" : field}' is missing in '${JSON.stringify(obj)}'`,
        );
      }
    }
  }
  if (obj.kind !== undefined && obj.kind !== kind.kind) {
    throw badRequest(
      `the object provided is unrecognized (must be of type ${kind.kind}): object kind "${obj.kind}" does not match the resource`,
    );
  }
  if (obj.apiVersion !== undefined && obj.apiVersion !== want) {
    throw badRequest(
      `the API version in the data (${obj.apiVersion}) does not match the expected API version (${want})`,
    );
  }
}

export interface CreateContext {
  namespace: string | undefined;
  uid: string;
  now: string;
  generateSuffix: () => string;
}

/** The object as first stored: system fields filled, status dropped where a status subresource owns it. */
export function prepareCreate(
  kind: ResourceKind,
  body: KubeObject,
  ctx: CreateContext,
): KubeObject {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw badRequest("the body of the request was not a JSON object");
  }
  checkTypeMeta(kind, body);
  const obj = clone(body);
  const meta = { ...(obj.metadata ?? {}) };
  if (meta.resourceVersion !== undefined && meta.resourceVersion !== "") {
    throw failure(
      500,
      "InternalError",
      "resourceVersion should not be set on objects to be created",
    );
  }
  if (kind.namespaced) {
    if (meta.namespace !== undefined && meta.namespace !== "" && meta.namespace !== ctx.namespace) {
      throw badRequest(
        "the namespace of the provided object does not match the namespace sent on the request",
      );
    }
    if (ctx.namespace !== undefined) meta.namespace = ctx.namespace;
  } else delete meta.namespace;
  if ((meta.name === undefined || meta.name === "") && meta.generateName) {
    meta.name = `${meta.generateName}${ctx.generateSuffix()}`;
  }
  if (meta.name === undefined || meta.name === "") {
    throw invalid(groupResource(kind), kind.kind, "", [
      {
        reason: "FieldValueRequired",
        field: "metadata.name",
        message: "Required value: name or generateName is required",
      },
    ]);
  }
  meta.uid = ctx.uid;
  meta.creationTimestamp = ctx.now;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.resourceVersion;
  if (tracksGeneration(kind)) meta.generation = 1;
  else delete meta.generation;
  obj.apiVersion = apiVersionOf(kind);
  obj.kind = kind.kind;
  obj.metadata = meta;
  if (kind.statusSubresource) delete obj.status;
  kind.normalize?.(obj);
  validate(kind, obj);
  return obj;
}

export interface UpdateOptions {
  subresource: string | undefined;
  /** PUT must name the version it replaces (custom resources); a patch need not. */
  requireResourceVersion: boolean;
  urlName: string;
  namespace: string | undefined;
}

/**
 * The object an update (PUT, or a patch after it was applied) would store, or `undefined` when
 * nothing changed — the API server then writes nothing and keeps the resourceVersion.
 */
export function prepareUpdate(
  kind: ResourceKind,
  current: KubeObject,
  incoming: KubeObject,
  opts: UpdateOptions,
): KubeObject | undefined {
  if (typeof incoming !== "object" || incoming === null || Array.isArray(incoming)) {
    throw badRequest("the body of the request was not a JSON object");
  }
  checkTypeMeta(kind, incoming);
  const gr = groupResource(kind);
  const inMeta = incoming.metadata ?? {};
  const curMeta = current.metadata ?? {};
  if (inMeta.name !== undefined && inMeta.name !== opts.urlName) {
    throw badRequest(
      `the name of the object (${inMeta.name}) does not match the name on the URL (${opts.urlName})`,
    );
  }
  if (
    kind.namespaced &&
    inMeta.namespace !== undefined &&
    inMeta.namespace !== "" &&
    inMeta.namespace !== opts.namespace
  ) {
    throw badRequest(
      "the namespace of the provided object does not match the namespace sent on the request",
    );
  }
  const rv = inMeta.resourceVersion;
  if (rv === undefined || rv === "") {
    if (opts.requireResourceVersion) {
      throw invalid(gr, kind.kind, opts.urlName, [
        {
          reason: "FieldValueInvalid",
          field: "metadata.resourceVersion",
          message: "Invalid value: 0x0: must be specified for an update",
        },
      ]);
    }
  } else if (rv !== curMeta.resourceVersion) {
    throw conflict(gr, opts.urlName);
  }
  if (inMeta.uid !== undefined && inMeta.uid !== "" && inMeta.uid !== curMeta.uid) {
    throw conflict(
      gr,
      opts.urlName,
      `Precondition failed: UID in precondition: ${inMeta.uid}, UID in object meta: ${curMeta.uid}`,
    );
  }

  let next: KubeObject;
  if (opts.subresource === "status") {
    // status_strategy.go: the whole old object, with only the new status.
    next = clone(current);
    if (incoming.status === undefined) delete next.status;
    else next.status = clone(incoming.status);
  } else {
    next = clone(incoming);
    if (kind.statusSubresource) {
      if (current.status === undefined) delete next.status;
      else next.status = clone(current.status);
    }
    const meta = { ...inMeta };
    // System fields are the server's, whatever the client sent.
    for (const f of [
      "uid",
      "creationTimestamp",
      "deletionTimestamp",
      "deletionGracePeriodSeconds",
      "generation",
      "namespace",
      "name",
    ] as const) {
      const keep: unknown = curMeta[f];
      if (keep === undefined) delete meta[f];
      else (meta as Record<string, unknown>)[f] = keep;
    }
    next.metadata = meta;
    if (tracksGeneration(kind) && !jsonEqual(specOf(kind, next), specOf(kind, current))) {
      meta.generation = (curMeta.generation ?? 0) + 1;
    }
  }
  next.apiVersion = apiVersionOf(kind);
  next.kind = kind.kind;
  const nextMeta = next.metadata ?? {};
  nextMeta.resourceVersion = curMeta.resourceVersion;
  next.metadata = nextMeta;
  kind.normalize?.(next);
  if (opts.subresource !== "status") validate(kind, next);
  return jsonEqual(next, current) ? undefined : next;
}

/** Whether an update left a terminating object with no finalizers, so it must now go. */
export function readyToDelete(obj: KubeObject): boolean {
  const meta = obj.metadata ?? {};
  return meta.deletionTimestamp !== undefined && (meta.finalizers ?? []).length === 0;
}
