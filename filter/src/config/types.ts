// The validated plugin configuration (docs/plugin-config.md). Built once per proxy_on_configure by
// `parseConfig`; the request path only reads it.

export const DEFAULT_ROUTING_HEADER = "x-cohort-version";
export const DEFAULT_MIRROR_HEADER = "x-cohort-mirror";

/** Size of the bucket space that assignment tables partition. */
export const BUCKETS: i32 = 10000;

/** Where a condition or a sticky key reads its value. */
export namespace Source {
  export const Header: i32 = 0;
  export const Cookie: i32 = 1;
}

/** Segment node kinds. */
export namespace ConditionKind {
  export const All: i32 = 0;
  export const Any: i32 = 1;
  export const Not: i32 = 2;
  export const Leaf: i32 = 3;
}

/** Operators of a leaf condition. */
export namespace Operator {
  export const Exact: i32 = 0;
  export const Prefix: i32 = 1;
  export const Suffix: i32 = 2;
  export const Contains: i32 = 3;
  export const OneOf: i32 = 4;
  export const Present: i32 = 5;
  export const Absent: i32 = 6;
}

/** A segment condition: `all`/`any` of children, `not` of one child, or a test of one value. */
export class Condition {
  kind: i32 = ConditionKind.Leaf;
  children: Condition[] = [];
  source: i32 = Source.Header;
  name: string = "";
  op: i32 = Operator.Present;
  value: string = "";
  values: string[] = [];
}

/** One entry of `stickyKey`: `header:<name>` or `cookie:<name>`. */
export class StickyKey {
  constructor(
    public source: i32,
    public name: string,
  ) {}
}

export class Version {
  constructor(
    public name: string,
    public weight: i64,
  ) {}
}

export class Mirror {
  constructor(
    public version: string,
    public percent: i32,
  ) {}
}

/** The trusted QA override: a header carrying `<version>:<token>`, token checked by SHA-256. */
export class Override {
  header: string = "";
  /** SHA-256 digests (32 bytes each) of the accepted tokens. */
  tokenHashes: Uint8Array[] = [];
  /** Indexes (into the experiment's versions) that the override may choose. */
  versions: i32[] = [];
}

export class Experiment {
  name: string = "";
  /** Lower-case host names; `*.example.com` matches any subdomain. Empty = every host. */
  hosts: string[] = [];
  segment: Condition | null = null;
  stickyKeys: StickyKey[] = [];
  /** Index of the baseline in `versions`. */
  baseline: i32 = 0;
  versions: Version[] = [];
  totalWeight: i64 = 0;
  mirror: Mirror | null = null;
  salt: string = "";
  /** Version index per bucket when an assignment table is configured, else null. */
  assignment: Uint8Array | null = null;
  qaOverride: Override | null = null;
}

export class PluginConfig {
  routingHeader: string = DEFAULT_ROUTING_HEADER;
  mirrorHeader: string = DEFAULT_MIRROR_HEADER;
  experiments: Experiment[] = [];
}

/** Index of the version named `name`, or -1. */
export function versionIndex(versions: Version[], name: string): i32 {
  for (let i = 0; i < versions.length; i++) {
    if (unchecked(versions[i]).name == name) return i;
  }
  return -1;
}
