import type { ClusterStats } from "./cluster-stats.js";
import { toUpstream } from "./headers.js";
import type { Upstream } from "./upstream.js";
import { UpstreamCall } from "./upstream-call.js";

/** A shadow is dropped once this much of its request body waits unsent (a slow mirror). */
const MAX_SHADOW_BUFFER = 1 << 20;

/** The copy of one request sent to the mirror cluster; the client never waits for it. */
export interface Shadow {
  write(chunk: Buffer): void;
  end(): void;
  abort(): void;
}

/**
 * Envoy's shadow writer (RequestMirrorPolicy, source/common/router/shadow_writer_impl.cc):
 * fire-and-forget, the response read and dropped, the authority suffixed `-shadow`, the mirror
 * cluster's own timeout, and its cluster stats counted like any request. In-flight shadows are
 * bounded: beyond `maxInFlight` a shadow is not sent and `upstream_rq_pending_overflow` moves on
 * the mirror cluster (Envoy's circuit breaker), so a dead or slow mirror cannot exhaust memory.
 */
export class ShadowSender {
  private inFlight = 0;
  private readonly calls = new Set<UpstreamCall>();

  constructor(
    private readonly stats: ClusterStats,
    private readonly maxInFlight: number,
  ) {}

  get active(): number {
    return this.inFlight;
  }

  send(upstream: Upstream, pairs: readonly [string, string][]): Shadow | undefined {
    if (this.inFlight >= this.maxInFlight) {
      this.stats.inc(upstream.name, "upstream_rq_pending_overflow");
      return undefined;
    }
    this.inFlight++;
    const { method, path, headers } = toUpstream(pairs, true);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.calls.delete(call);
    };
    const call: UpstreamCall = new UpstreamCall(upstream, method, path, headers, this.stats, {
      onHeaders: (res) => res.resume(),
      onFailure: release,
      onBrokenResponse: release,
      onComplete: release,
    });
    this.calls.add(call);
    return {
      write: (chunk) => {
        if (call.finished) return;
        call.write(chunk);
        if (call.buffered > MAX_SHADOW_BUFFER) {
          call.abort();
          release();
        }
      },
      end: () => call.end(),
      abort: () => {
        call.abort();
        release();
      },
    };
  }

  /** Drops every shadow still in flight (shutdown). */
  abortAll(): void {
    for (const c of [...this.calls]) c.abort();
    this.calls.clear();
    this.inFlight = 0;
  }
}
