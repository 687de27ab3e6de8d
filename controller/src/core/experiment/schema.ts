/**
 * The Experiment spec: the one schema source. The TypeScript types (`Static<...>`), the runtime
 * validation and the CRD's `openAPIV3Schema` (deploy/crds/) are all derived from these definitions.
 *
 * Keep to the subset of JSON Schema that Kubernetes structural schemas accept (no `$ref`, no
 * `additionalProperties: false` next to `properties`... see the CRD generator for the mapping).
 */
import { type Static, type TSchema, Type } from "@sinclair/typebox";
import { Load, LocalSidecar } from "./local-schema.js";

/** Values a spec gets when it leaves a field out (see `withDefaults`); also the CRD's defaults. */
export const DEFAULTS = {
  confidence: 0.95,
  deploymentPattern: "Progressive",
  intervalSeconds: 30,
  maxIterations: 20,
  maxCandidateWeight: 100,
  maxCandidateWeightIncrement: 10,
} as const;

const Name = Type.String({
  minLength: 1,
  maxLength: 63,
  pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
  description: "A DNS-1123 label: lower-case letters, digits and '-'.",
});

export const TestingPattern = Type.Union(
  [Type.Literal("AB"), Type.Literal("ABN"), Type.Literal("Canary"), Type.Literal("Conformance")],
  {
    description:
      "Who can win: AB (baseline + 1 candidate), ABN (2+ candidates), Canary, Conformance (baseline alone).",
  },
);
export type TestingPattern = Static<typeof TestingPattern>;

export const DeploymentPattern = Type.Union(
  [Type.Literal("Progressive"), Type.Literal("FixedSplit")],
  {
    default: DEFAULTS.deploymentPattern,
    description:
      "Progressive shifts traffic toward the winner each iteration; FixedSplit never moves it.",
  },
);
export type DeploymentPattern = Static<typeof DeploymentPattern>;

export const VersionSpec = Type.Object(
  {
    name: Name,
    variables: Type.Optional(
      Type.Record(Type.String(), Type.String(), {
        description: "Values for query templates ({{ name }}) and promotion templates.",
      }),
    ),
    url: Type.Optional(Type.String({ description: "Local mode: where this version listens." })),
    weight: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 100, description: "Initial traffic weight (percent)." }),
    ),
  },
  { description: "One version of the target." },
);
export type VersionSpec = Static<typeof VersionSpec>;

export const Objective = Type.Object(
  {
    metric: Type.String({
      minLength: 1,
      description: "A builtin metric or one defined in spec.metrics.",
    }),
    upperLimit: Type.Optional(
      Type.Number({ description: "The metric must stay at or below this." }),
    ),
    lowerLimit: Type.Optional(
      Type.Number({ description: "The metric must stay at or above this." }),
    ),
  },
  { description: "A metric with an upper and/or lower limit, e.g. latency-p99 ≤ 50 (ms)." },
);
export type Objective = Static<typeof Objective>;

export const Reward = Type.Object(
  {
    metric: Type.String({ minLength: 1 }),
    preferredDirection: Type.Union([Type.Literal("High"), Type.Literal("Low")]),
  },
  { description: "The metric that picks the winner among validated versions." },
);
export type Reward = Static<typeof Reward>;

export const Criteria = Type.Object({
  confidence: Type.Optional(
    Type.Number({
      exclusiveMinimum: 0.5,
      exclusiveMaximum: 1,
      default: DEFAULTS.confidence,
      description: "Probability that every decision of the experiment is right, at any look.",
    }),
  ),
  objectives: Type.Optional(Type.Array(Objective)),
  reward: Type.Optional(Reward),
});
export type Criteria = Static<typeof Criteria>;

export const MetricDefinition = Type.Object(
  {
    name: Name,
    type: Type.Union([Type.Literal("rate"), Type.Literal("mean")], {
      description: "rate: successes out of count; mean: the average of a value.",
    }),
    provider: Type.Union([Type.Literal("builtin"), Type.Literal("prometheus")]),
    count: Type.Optional(
      Type.String({ description: "Query: how many trials (rate) or values (mean)." }),
    ),
    successes: Type.Optional(Type.String({ description: "Query (rate): how many successes." })),
    sum: Type.Optional(Type.String({ description: "Query (mean): the sum of the values." })),
    sumSquares: Type.Optional(
      Type.String({ description: "Query (mean): the sum of squared values." }),
    ),
    units: Type.Optional(Type.String()),
  },
  {
    description:
      "A custom metric. Queries may use {{ version }}, {{ name }} and version variables; prometheus queries are PromQL and may use {{ elapsed }}, builtin ones are selector sums like sum(orders_total{version=\"{{ version }}\"}) over the sidecar's stats and the version's variables.metricsUrl page.",
  },
);
export type MetricDefinition = Static<typeof MetricDefinition>;

// The filter's lexical rules (filter/src/config/syntax.ts): RFC 9110 token characters, header
// names in lower case as Envoy sees them.
const TOKEN = "!#$%&'*+.^_`|~0-9a-z-";
const HEADER_NAME = `[${TOKEN}]{1,128}`;
const COOKIE_NAME = `[${TOKEN}A-Z]{1,128}`;

export const HeaderCondition = Type.Object(
  {
    header: Type.Optional(
      Type.String({
        pattern: `^${HEADER_NAME}$`,
        description: "A header name in lower case.",
      }),
    ),
    cookie: Type.Optional(
      Type.String({ pattern: `^${COOKIE_NAME}$`, description: "A cookie name." }),
    ),
    exact: Type.Optional(Type.String({ maxLength: 1024 })),
    prefix: Type.Optional(Type.String({ maxLength: 1024 })),
    suffix: Type.Optional(Type.String({ maxLength: 1024 })),
    contains: Type.Optional(Type.String({ maxLength: 1024 })),
    oneOf: Type.Optional(
      Type.Array(Type.String({ maxLength: 1024 }), { minItems: 1, maxItems: 256 }),
    ),
    present: Type.Optional(Type.Boolean()),
    absent: Type.Optional(Type.Boolean()),
  },
  {
    description:
      "One test on a request header or cookie: exactly one of exact, prefix, suffix, contains, oneOf, present, absent.",
  },
);

/**
 * A segment: exactly one of `all` / `any` (lists of conditions) or `not` (one condition),
 * nestable. Kubernetes structural schemas cannot recurse, so the CRD (and this schema) bound the
 * nesting to three levels; the filter allows eight.
 */
function segmentSchema(depth: number): TSchema {
  const inner =
    depth > 0 ? Type.Union([HeaderCondition, segmentSchema(depth - 1)]) : HeaderCondition;
  return Type.Object(
    {
      all: Type.Optional(Type.Array(inner, { minItems: 1, maxItems: 64 })),
      any: Type.Optional(Type.Array(inner, { minItems: 1, maxItems: 64 })),
      not: Type.Optional(inner),
    },
    { description: "Only requests matching these header/cookie conditions take part." },
  );
}
export const Segment = segmentSchema(2);

export const Traffic = Type.Object({
  hosts: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  segment: Type.Optional(Segment),
  stickyKey: Type.Optional(
    Type.Array(
      Type.String({
        pattern: `^(header:${HEADER_NAME}|cookie:${COOKIE_NAME})$`,
        description: "'header:NAME' (lower case) or 'cookie:NAME'.",
      }),
      {
        maxItems: 8,
        description:
          "Where the user's identity is: 'header:x-user-id', 'cookie:uid'. First present wins.",
      },
    ),
  ),
  mirror: Type.Optional(
    Type.Object({
      version: Name,
      percent: Type.Integer({
        minimum: 0,
        maximum: 100,
        description: "Share of the segment's users whose requests are also copied to the version.",
      }),
      variables: Type.Optional(
        Type.Record(Type.String(), Type.String(), {
          description:
            "The dark version's values for query templates ({{ name }}), e.g. metricsUrl for builtin custom metrics.",
        }),
      ),
    }),
  ),
});
export type Traffic = Static<typeof Traffic>;

export const Weights = Type.Object({
  maxCandidateWeight: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 100, default: DEFAULTS.maxCandidateWeight }),
  ),
  maxCandidateWeightIncrement: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 100, default: DEFAULTS.maxCandidateWeightIncrement }),
  ),
});
export type Weights = Static<typeof Weights>;

export const Duration = Type.Object({
  intervalSeconds: Type.Optional(
    Type.Number({ exclusiveMinimum: 0, default: DEFAULTS.intervalSeconds }),
  ),
  maxIterations: Type.Optional(Type.Integer({ minimum: 1, default: DEFAULTS.maxIterations })),
});
export type Duration = Static<typeof Duration>;

const Template = (description: string) =>
  Type.String({
    description: `${description} May use {{ version }}, {{ name }} (the experiment), {{ namespace }} and the winner's variables.`,
  });

export const KustomizeImage = Type.Object(
  {
    name: Type.String({ minLength: 1, description: "The image name as written in the manifests." }),
    newName: Type.Optional(Template("The image to use instead.")),
    newTag: Type.Optional(Template("The tag to set, e.g. '{{ tag }}'.")),
    digest: Type.Optional(Template("A digest to pin instead of a tag.")),
  },
  { description: "One entry of the kustomization's images list, set or replaced by name." },
);

export const KustomizePromotion = Type.Object(
  {
    dir: Type.String({
      minLength: 1,
      description: "Directory holding the kustomization.yaml to edit (the production overlay).",
    }),
    images: Type.Optional(Type.Array(KustomizeImage, { minItems: 1 })),
    nameSuffix: Type.Optional(Template("nameSuffix to set, e.g. '-{{ version }}'.")),
    output: Type.Optional(
      Type.String({ description: "File to write the rendered manifests to (kubectl kustomize)." }),
    ),
    apply: Type.Optional(
      Type.Boolean({
        default: false,
        description: "Apply the rendered manifests with kubectl apply -f - (needs the RBAC).",
      }),
    ),
    kubectl: Type.Optional(
      Type.String({ minLength: 1, description: "The kubectl binary (default: kubectl)." }),
    ),
  },
  { description: "Set the winner in a kustomization, render it, and optionally apply it." },
);

export const HelmPromotion = Type.Object(
  {
    values: Type.Optional(
      Type.Record(Type.String(), Type.String(), {
        description:
          "Dotted keys to templates, e.g. 'image.tag': '{{ tag }}'; written as the winner's values file.",
      }),
    ),
    valuesFile: Type.Optional(
      Type.String({ minLength: 1, description: "Where to write the winner's values (YAML)." }),
    ),
    release: Type.Optional(
      Type.String({ minLength: 1, description: "Release for helm upgrade --install." }),
    ),
    chart: Type.Optional(
      Type.String({
        minLength: 1,
        description: "Chart reference or path for helm upgrade --install.",
      }),
    ),
    namespace: Type.Optional(
      Type.String({ minLength: 1, description: "The release's namespace." }),
    ),
    args: Type.Optional(
      Type.Array(Template("One extra argument to helm (no shell)."), {
        description: "Extra arguments appended to helm upgrade --install.",
      }),
    ),
    helm: Type.Optional(
      Type.String({ minLength: 1, description: "The helm binary (default: helm)." }),
    ),
  },
  { description: "Write the winner's values file and/or run helm upgrade --install with it." },
);

export const CommandPromotion = Type.Object(
  {
    args: Type.Array(Template("One argument (no shell: passed as is)."), {
      minItems: 1,
      description: "The program and its arguments, e.g. ['./promote.sh', '{{ version }}'].",
    }),
    env: Type.Optional(
      Type.Record(Type.String(), Type.String(), {
        description: "Extra environment variables (templates).",
      }),
    ),
    dir: Type.Optional(Type.String({ minLength: 1, description: "Working directory." })),
  },
  {
    description:
      "Run a program with the winner; it also gets COHORT_VERSION, COHORT_EXPERIMENT, COHORT_NAMESPACE and COHORT_VAR_<NAME>.",
  },
);

export const Promotion = Type.Object(
  {
    kind: Type.Optional(
      Type.Union(
        [
          Type.Literal("none"),
          Type.Literal("helm"),
          Type.Literal("kustomize"),
          Type.Literal("command"),
        ],
        {
          description:
            "Which backend promotes the winner; its settings are in the same-named field.",
        },
      ),
    ),
    timeoutSeconds: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        default: 300,
        description: "Each program the promotion runs is killed after this long.",
      }),
    ),
    kustomize: Type.Optional(KustomizePromotion),
    helm: Type.Optional(HelmPromotion),
    command: Type.Optional(CommandPromotion),
  },
  { description: "How the winner is promoted, in local and Kubernetes modes (docs/promotion.md)." },
);
export type Promotion = Static<typeof Promotion>;
export type KustomizePromotion = Static<typeof KustomizePromotion>;
export type HelmPromotion = Static<typeof HelmPromotion>;
export type CommandPromotion = Static<typeof CommandPromotion>;

export const ExperimentSpec = Type.Object({
  target: Type.String({
    minLength: 1,
    description: "What is being changed, e.g. namespace/service.",
  }),
  testingPattern: TestingPattern,
  deploymentPattern: Type.Optional(DeploymentPattern),
  baseline: VersionSpec,
  candidates: Type.Optional(Type.Array(VersionSpec)),
  criteria: Criteria,
  metrics: Type.Optional(Type.Array(MetricDefinition)),
  traffic: Type.Optional(Traffic),
  weights: Type.Optional(Weights),
  duration: Type.Optional(Duration),
  promotion: Type.Optional(Promotion),
  load: Type.Optional(Load),
  sidecar: Type.Optional(LocalSidecar),
});
export type ExperimentSpec = Static<typeof ExperimentSpec>;

export const Experiment = Type.Object({
  apiVersion: Type.Literal("cohort.dev/v1alpha1"),
  kind: Type.Literal("Experiment"),
  metadata: Type.Object(
    { name: Name, namespace: Type.Optional(Type.String()) },
    { additionalProperties: true },
  ),
  spec: ExperimentSpec,
  status: Type.Optional(Type.Unknown()),
});
export type Experiment = Static<typeof Experiment>;

export const API_GROUP = "cohort.dev";
export const API_VERSION = "v1alpha1";
export const KIND = "Experiment";
