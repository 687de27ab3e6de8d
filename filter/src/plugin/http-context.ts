import { callForeignFunction } from "../abi/foreign";
import { getHeader, HeaderView, removeHeader, replaceHeader } from "../abi/headers";
import { incrementMetric, recordMetric } from "../abi/metrics";
import { setProperty } from "../abi/properties";
import { nowNanos } from "../abi/time";
import { MapType, Status } from "../abi/types";
import { PluginConfig } from "../config/types";
import { decide } from "../logic/decide";
import { Decision, isParticipant, Reason } from "../logic/decision";
import { VersionMetrics } from "./metrics";
import { RootContext } from "./root-context";

const DECISION_PATH = String.UTF8.encode("cohort.decision");
const CLEAR_ROUTE_CACHE = String.UTF8.encode("clear_route_cache");
const STATUS = String.UTF8.encode(":status");

// One view and one decision serve every request: callbacks never interleave within a VM.
const view = new HeaderView();
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
    const readable = view.load(MapType.RequestHeaders);
    const changed = stripClientHeaders(root, readable);
    if (!readable) {
      decision.reset();
      decision.reason = Reason.Fallback;
      incrementMetric(root.metrics.fallbacksUnknown, 1);
    } else {
      decide(config, view, decision);
    }
    view.release();
    if (decision.experiment < 0) {
      if (decision.reason == Reason.NoMatch) incrementMetric(root.metrics.unmatched, 1);
      if (changed) callForeignFunction(CLEAR_ROUTE_CACHE);
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
    let ok = replaceHeader(MapType.RequestHeaders, root.routingHeader, version) == Status.Ok;
    if (ok && decision.mirror && e.mirror !== null) {
      const mirror = unchecked(root.encoded.mirrors[decision.experiment]);
      ok = replaceHeader(MapType.RequestHeaders, root.mirrorHeader, mirror) == Status.Ok;
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

/**
 * Removes the headers only the filter may set (routing, mirror, override); a segment or sticky key
 * naming the routing or mirror header finds it absent. True when the request had any of them.
 */
function stripClientHeaders(root: RootContext, readable: bool): bool {
  let changed = false;
  for (let i = 0; i < root.stripped.length; i++) {
    const name = unchecked(root.strippedNames[i]);
    if (!readable || view.has(name)) {
      removeHeader(MapType.RequestHeaders, unchecked(root.stripped[i]));
      // Routing and mirror headers (the first two) vanish for the decision as well; override
      // headers stay readable, since the override logic reads them.
      if (i < 2) view.hide(name);
      changed = true;
    }
  }
  return changed;
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
