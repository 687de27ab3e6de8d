import { Experiment, PluginConfig, Source } from "../config/types";
import { Decision, Reason } from "./decision";
import { hostEnd, matchesHost } from "./host";
import { isMirrored } from "./mirror";
import { overrideVersion } from "./override";
import { RequestView } from "./request";
import { inSegment } from "./segment";
import { assigned, rendezvous } from "./split";

const REQUEST_ID = "x-request-id";

/** Index of the first experiment that takes requests for this `:authority`, or -1. */
export function matchExperiment(config: PluginConfig, authority: string | null): i32 {
  const a = authority === null ? "" : authority;
  const end = hostEnd(a);
  const experiments = config.experiments;
  for (let i = 0; i < experiments.length; i++) {
    if (matchesHost(unchecked(experiments[i]), a, end)) return i;
  }
  return -1;
}

/** The sticky key of the request: the first configured key present, else x-request-id, else null. */
export function stickyKeyOf(e: Experiment, request: RequestView): string | null {
  const keys = e.stickyKeys;
  for (let i = 0; i < keys.length; i++) {
    const k = unchecked(keys[i]);
    const value = k.source == Source.Header ? request.header(k.name) : request.cookie(k.name);
    if (value !== null && value.length > 0) return value;
  }
  const id = request.header(REQUEST_ID);
  return id !== null && id.length > 0 ? id : null;
}

/**
 * Decides version, mirror and reason for one request (into `out`) whose experiment is `index`,
 * from `matchExperiment` (-1 = none): the filter matches on `:authority` first, so it reads only
 * the headers that experiment needs.
 */
export function decide(
  config: PluginConfig,
  index: i32,
  request: RequestView,
  out: Decision,
): void {
  out.reset();
  if (index < 0) return;
  const e = unchecked(config.experiments[index]);
  out.experiment = index;
  out.version = e.baseline;
  const o = e.qaOverride;
  if (o !== null) {
    const value = request.header(o.header);
    if (value !== null) {
      const forced = overrideVersion(e, o, value);
      if (forced >= 0) {
        out.version = forced;
        out.reason = Reason.Override;
        return;
      }
      out.overrideRejected = true;
    }
  }
  if (!inSegment(e.segment, request)) {
    out.reason = Reason.OutsideSegment;
    return;
  }
  const key = stickyKeyOf(e, request);
  if (key === null) {
    out.reason = Reason.NoKey;
    return;
  }
  const table = e.assignment;
  if (table !== null) {
    out.version = assigned(e, table, key);
    out.reason = Reason.Assignment;
  } else {
    out.version = rendezvous(e, key);
    out.reason = Reason.Split;
  }
  const m = e.mirror;
  out.mirror = m !== null && isMirrored(m, e.salt, key);
}
