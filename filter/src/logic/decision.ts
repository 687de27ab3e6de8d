import { PluginConfig } from "../config/types";

/** Why a request got its version; the names appear in `cohort.decision` and in metrics. */
export namespace Reason {
  export const NoMatch: i32 = 0;
  export const OutsideSegment: i32 = 1;
  export const Split: i32 = 2;
  export const Assignment: i32 = 3;
  export const Override: i32 = 4;
  export const NoKey: i32 = 5;
  export const Fallback: i32 = 6;
}

export const REASON_NAMES: string[] = [
  "no-match",
  "outside-segment",
  "split",
  "assignment",
  "override",
  "no-key",
  "fallback",
];

/** True for the reasons that make a request part of the experiment's sample. */
export function isParticipant(reason: i32): bool {
  return reason == Reason.Split || reason == Reason.Assignment;
}

/** The outcome for one request. Indexes point into the config; -1 = none. */
export class Decision {
  experiment: i32 = -1;
  version: i32 = -1;
  mirror: bool = false;
  reason: i32 = Reason.NoMatch;
  /** An override header was present but did not qualify. */
  overrideRejected: bool = false;

  reset(): void {
    this.experiment = -1;
    this.version = -1;
    this.mirror = false;
    this.reason = Reason.NoMatch;
    this.overrideRejected = false;
  }
}

/**
 * The decision record as JSON: {"experiment", "version", "mirror", "reason"}. Names are validated
 * to `A-Za-z0-9._-`, so they need no escaping.
 */
export function decisionJson(config: PluginConfig | null, d: Decision): string {
  let experiment = "null";
  let version = "null";
  let mirror = "null";
  if (config !== null && d.experiment >= 0 && d.experiment < config.experiments.length) {
    const e = unchecked(config.experiments[d.experiment]);
    experiment = '"' + e.name + '"';
    if (d.version >= 0 && d.version < e.versions.length) {
      version = '"' + unchecked(e.versions[d.version]).name + '"';
    }
    const m = e.mirror;
    if (d.mirror && m !== null) mirror = '"' + m.version + '"';
  }
  const reason =
    d.reason >= 0 && d.reason < REASON_NAMES.length ? REASON_NAMES[d.reason] : "fallback";
  return (
    '{"experiment":' +
    experiment +
    ',"version":' +
    version +
    ',"mirror":' +
    mirror +
    ',"reason":"' +
    reason +
    '"}'
  );
}
