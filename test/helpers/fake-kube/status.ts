/**
 * `metav1.Status` failure bodies, shaped as the API server's `k8s.io/apimachinery/pkg/api/errors`
 * constructors build them (NewNotFound, NewAlreadyExists, NewConflict, NewResourceExpired, ...), so
 * a client reading `reason`, `code` and `details` sees what a real cluster would send.
 * API conventions: "Response Status Kind" in sig-architecture/api-conventions.md.
 */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure" | "Success";
  message: string;
  reason: string;
  code: number;
  details?: StatusDetails;
}

/** A failure the server turns into an HTTP response carrying a Status body. */
export class StatusError extends Error {
  override readonly name = "StatusError";
  constructor(readonly status: Status) {
    super(status.message);
  }
  get code(): number {
    return this.status.code;
  }
}

/** The resource a Status names: `plural` plus `group` ("" for the core group). */
export interface GroupResource {
  group: string;
  plural: string;
}

function qualified(gr: GroupResource): string {
  return gr.group === "" ? gr.plural : `${gr.plural}.${gr.group}`;
}

function details(gr: GroupResource, name: string): StatusDetails {
  return gr.group === "" ? { name, kind: gr.plural } : { name, group: gr.group, kind: gr.plural };
}

export function failure(
  code: number,
  reason: string,
  message: string,
  extra?: StatusDetails,
): StatusError {
  const status: Status = {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason,
    code,
  };
  if (extra !== undefined) status.details = extra;
  return new StatusError(status);
}

export function notFound(gr: GroupResource, name: string): StatusError {
  return failure(404, "NotFound", `${qualified(gr)} "${name}" not found`, details(gr, name));
}

export function alreadyExists(gr: GroupResource, name: string): StatusError {
  return failure(
    409,
    "AlreadyExists",
    `${qualified(gr)} "${name}" already exists`,
    details(gr, name),
  );
}

/** The optimistic-concurrency failure: the client wrote against a stale resourceVersion. */
export function conflict(gr: GroupResource, name: string, why?: string): StatusError {
  const reason =
    why ??
    "the object has been modified; please apply your changes to the latest version and try again";
  return failure(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${reason}`,
    details(gr, name),
  );
}

/** 410 Gone / Expired: the requested resourceVersion was compacted away (etcd keeps ~5 minutes). */
export function expired(requested: number, oldest: number): StatusError {
  return failure(410, "Expired", `too old resource version: ${requested} (${oldest})`);
}

export function badRequest(message: string): StatusError {
  return failure(400, "BadRequest", message);
}

export function invalid(
  gr: GroupResource,
  kind: string,
  name: string,
  causes: StatusCause[],
): StatusError {
  const list = causes.map((c) => `${c.field}: ${c.message}`).join(", ");
  const group = gr.group === "" ? kind : `${kind}.${gr.group}`;
  return failure(422, "Invalid", `${group} "${name}" is invalid: ${list}`, {
    name,
    ...(gr.group === "" ? {} : { group: gr.group }),
    kind,
    causes: causes.map((c) => ({ reason: c.reason ?? "FieldValueInvalid", ...c })),
  });
}

/** What `errors.NewGenericServerResponse(422, ...)` yields, e.g. a failed JSON patch `test` op. */
export function unprocessable(serverMessage: string): StatusError {
  return failure(422, "Invalid", "the server rejected our request due to an error in our request", {
    causes: [{ reason: "UnexpectedServerResponse", message: serverMessage }],
  });
}

export function unsupportedMediaType(contentType: string, accepted: string[]): StatusError {
  return failure(
    415,
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(", ")}`,
    { causes: [{ reason: "UnexpectedServerResponse", message: contentType }] },
  );
}

export function methodNotAllowed(method: string, path: string): StatusError {
  return failure(
    405,
    "MethodNotAllowed",
    `the server does not allow this method on the requested resource (${method} ${path})`,
  );
}

export function internalError(message: string): StatusError {
  return failure(500, "InternalError", `Internal error occurred: ${message}`, {
    causes: [{ message }],
  });
}

/** What `errors.NewTooManyRequests` / priority-and-fairness rejection look like. */
export function tooManyRequests(retryAfterSeconds: number): StatusError {
  return failure(429, "TooManyRequests", "Too many requests, please try again later.", {
    retryAfterSeconds,
  });
}

export function serviceUnavailable(message: string): StatusError {
  return failure(503, "ServiceUnavailable", message);
}

/** A list/watch at a resourceVersion newer than the server has: it waits, then gives up. */
export function resourceVersionTooLarge(requested: number, current: number): StatusError {
  return failure(504, "Timeout", `Too large resource version: ${requested}, current: ${current}`, {
    causes: [
      {
        reason: "ResourceVersionTooLarge",
        message: "Too large resource version",
      },
    ],
    retryAfterSeconds: 1,
  });
}

export function successStatus(
  gr: GroupResource,
  name: string,
  uid: string,
): Record<string, unknown> {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Success",
    details: { ...details(gr, name), uid },
  };
}
