/**
 * The parts of an Experiment only `cohort run` reads: a built-in load generator (`load`) and the
 * sidecar the run starts (`sidecar`). Kubernetes mode ignores both.
 */
import { type Static, Type } from "@sinclair/typebox";

/** Defaults of `spec.load` (see `docs/local-mode.md`). */
export const LOAD_DEFAULTS = {
  users: 100,
  seed: 1,
  path: "/",
  userHeader: "x-user-id",
  maxRequests: 100_000,
  maxSeconds: 600,
} as const;

const HeaderName = Type.String({
  pattern: "^[!#$%&'*+.^_`|~0-9a-z-]{1,128}$",
  description: "A header name in lower case.",
});

export const LoadHeader = Type.Object(
  {
    name: HeaderName,
    values: Type.Record(Type.String(), Type.Number({ minimum: 0 }), {
      description: "Value → relative weight; each user draws one value once and keeps it.",
    }),
  },
  { description: "A header the synthetic users send, e.g. x-country for a segment." },
);

export const Load = Type.Object(
  {
    rate: Type.Number({
      exclusiveMinimum: 0,
      maximum: 5000,
      description: "Requests per second sent through the sidecar.",
    }),
    users: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1_000_000, default: LOAD_DEFAULTS.users }),
    ),
    userHeader: Type.Optional(HeaderName),
    headers: Type.Optional(Type.Array(LoadHeader, { maxItems: 16 })),
    path: Type.Optional(Type.String({ pattern: "^/", default: LOAD_DEFAULTS.path })),
    seed: Type.Optional(Type.Integer({ minimum: 0, default: LOAD_DEFAULTS.seed })),
    maxRequests: Type.Optional(Type.Integer({ minimum: 1, default: LOAD_DEFAULTS.maxRequests })),
    maxSeconds: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, default: LOAD_DEFAULTS.maxSeconds }),
    ),
  },
  {
    description:
      "Local mode: synthetic users through the sidecar (loopback only), so an experiment can run without traffic of its own.",
  },
);
export type Load = Static<typeof Load>;

export const LocalSidecar = Type.Object(
  {
    port: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 65535, description: "Listener port; 0 = any." }),
    ),
    adminPort: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
    mirrorUrl: Type.Optional(
      Type.String({ description: "Where the dark (mirror) version listens." }),
    ),
    requestTimeoutMs: Type.Optional(Type.Integer({ minimum: 0 })),
    connectTimeoutMs: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { description: "Local mode: the sidecar `cohort run` starts in front of the versions' urls." },
);
export type LocalSidecar = Static<typeof LocalSidecar>;
