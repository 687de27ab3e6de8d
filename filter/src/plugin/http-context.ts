import { callForeignFunction } from "../abi/foreign";
import { getHeader, removeHeader, replaceHeader } from "../abi/headers";
import { incrementMetric, recordMetric } from "../abi/metrics";
import { setProperty } from "../abi/properties";
import { RequestHeaders } from "../abi/request-headers";
import { nowNanos } from "../abi/time";
import { MapType, Status } from "../abi/types";
import { PluginConfig } from "../config/types";
import { decide, matchExperiment } from "../logic/decide";
import { Decision, isParticipant, Reason } from "../logic/decision";
import { VersionMetrics } from "./metrics";
import { RootContext } from "./root-context";

const DECISION_PATH = String.UTF8.encode("cohort.decision");
const CLEAR_ROUTE_CACHE = String.UTF8.encode("clear_route_cache");
const STATUS = String.UTF8.encode(":status");
const AUTHORITY = ":authority";

// One view and one decision serve every request: callbacks never interleave within a VM.
const view = new RequestHeaders();
const decision = new Decision();

/** One HTTP stream: decides on request headers, measures on response headers. */
export class HttpContext {
  /** Metrics of the version this stream's sample counts toward; null when not a participant. */
  private sample: VersionMetrics | null = null;
  private startNanos: u64 = 0;

  constructor(
    public id: u32,
    public root: RootContext | null,
  ) {}

  onRequestHeaders(): void {
    const root = this.root;
    if (root === null) return;
    const config = root.config;
    if (config === null) return;
    view.begin(config.routingHeader, config.mirrorHeader);
    const authority = view.read(AUTHORITY);
    // Without `:authority` the whole map is read to tell "absent" from "unreadable" (a refusal, or
    // a map of more than 1024 pairs, which HeaderView does not index; Envoy's 1024-pair and 1 MiB
    // limits apply only to maps the filter sends, not to the ones it reads).
    let readable = view.status == Status.Ok;
    if (view.status == Status.NotFound) readable = view.readable();
    const index = readable ? matchExperiment(config, authority) : -1;
    if (!readable) {
      stripAll(root);
      decision.reset();
      decision.reason = Reason.Fallback;
      incrementMetric(root.metrics.fallbacksUnknown, 1);
    } else if (index < 0) {
      decision.reset();
      if (stripPresent(root)) callForeignFunction(CLEAR_ROUTE_CACHE);
    } else {
      keepAndStripOverrides(root);
      decide(config, index, view, decision);
      const oversized = view.oversized;
      if (oversized > 0) {
        incrementMetric(unchecked(root.metrics.experiments[index]).oversized, <i64>oversized);
      }
    }
    view.end();
    if (decision.experiment < 0) {
      if (decision.reason == Reason.NoMatch) incrementMetric(root.metrics.unmatched, 1);
      if (!readable) callForeignFunction(CLEAR_ROUTE_CACHE);
      setProperty(DECISION_PATH, root.encoded.decision(decision));
      return;
    }
    this.route(root, config);
  }

  private route(root: RootContext, config: PluginConfig): void {
    const e = unchecked(config.experiments[decision.experiment]);
    const metrics = unchecked(root.metrics.experiments[decision.experiment]);
    const names = unchecked(root.encoded.versions[decision.experiment]);
    const version = unchecked(names[decision.version]);
    // Replacing drops any routing or mirror header the client sent; without a mirror, the
    // client's mirror header goes (removing a missing header is fine in Envoy).
    let ok = replaceHeader(MapType.RequestHeaders, root.routingHeader, version) == Status.Ok;
    if (ok && decision.mirror && e.mirror !== null) {
      const mirror = unchecked(root.encoded.mirrors[decision.experiment]);
      ok = replaceHeader(MapType.RequestHeaders, root.mirrorHeader, mirror) == Status.Ok;
    } else if (ok) {
      ok = removeHeader(MapType.RequestHeaders, root.mirrorHeader) == Status.Ok;
    }
    if (!ok) {
      // Without our header the mesh's default route applies, which is the baseline's.
      removeHeader(MapType.RequestHeaders, root.routingHeader);
      removeHeader(MapType.RequestHeaders, root.mirrorHeader);
      decision.version = e.baseline;
      decision.mirror = false;
      decision.reason = Reason.Fallback;
      incrementMetric(metrics.fallbacks, 1);
    }
    // ABI 0.2.1 Envoys re-pick the route after a header change; newer ones need this call.
    callForeignFunction(CLEAR_ROUTE_CACHE);
    const vm = unchecked(metrics.versions[decision.version]);
    incrementMetric(unchecked(vm.requests[decision.reason]), 1);
    if (decision.mirror) incrementMetric(metrics.mirrored, 1);
    if (decision.overrideRejected) incrementMetric(metrics.overrideRejected, 1);
    if (isParticipant(decision.reason)) {
      this.sample = vm;
      this.startNanos = nowNanos();
    }
    setProperty(DECISION_PATH, root.encoded.decision(decision));
  }

  onResponseHeaders(): void {
    const vm = this.sample;
    if (vm === null) return;
    this.sample = null;
    const status = getHeader(MapType.ResponseHeaders, STATUS);
    const code = status === null ? -1 : statusCode(status);
    if (code >= 100 && code < 600) incrementMetric(unchecked(vm.responses[code / 100 - 1]), 1);
    const now = nowNanos();
    const elapsed = now > this.startNanos ? now - this.startNanos : 0;
    recordMetric(vm.duration, elapsed / 1_000_000);
  }
}

/** Removes every header only the filter may set (routing, mirror, override), unread. */
function stripAll(root: RootContext): void {
  for (let i = 0; i < root.stripped.length; i++) {
    removeHeader(MapType.RequestHeaders, unchecked(root.stripped[i]));
  }
}

/**
 * Removes the headers only the filter may set that the request has; true when it had any (so the
 * route must be picked again).
 */
function stripPresent(root: RootContext): bool {
  let changed = false;
  for (let i = 0; i < root.stripped.length; i++) {
    if (view.present(unchecked(root.strippedNames[i]))) {
      removeHeader(MapType.RequestHeaders, unchecked(root.stripped[i]));
      changed = true;
    }
  }
  return changed;
}

/**
 * Before a decision: the override headers (after routing and mirror in `stripped`) are read, so
 * the override logic still sees them, and removed. The routing and mirror headers are replaced
 * or removed when routing (`route`), and read as absent meanwhile (`RequestHeaders.begin`).
 */
function keepAndStripOverrides(root: RootContext): void {
  for (let i = 2; i < root.stripped.length; i++) {
    const name = unchecked(root.strippedNames[i]);
    const value = view.read(name);
    view.keep(name, value);
    if (value !== null) removeHeader(MapType.RequestHeaders, unchecked(root.stripped[i]));
  }
}

function statusCode(s: string): i32 {
  if (s.length != 3) return -1;
  let code = 0;
  for (let i = 0; i < 3; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    code = code * 10 + (c - 0x30);
  }
  return code;
}
