/**
 * The controller's ports as the tests implement them (adapter boundaries, so fakes are fine): a
 * metrics source whose cumulative counts grow with elapsed time, and a promoter that records calls.
 */
import type { Observations } from "../../../controller/src/core/observations.js";
import type { Promoter, PromotionTarget } from "../../../controller/src/kube/promoter.js";
import {
  type CollectRequest,
  type MetricsProvider,
  NoDataError,
} from "../../../controller/src/providers/index.js";
import { latency } from "../core/scenario.js";

export interface Shape {
  /** Requests per 30 s. */
  rate: number;
  errorRate: number;
  slow: number;
  /** Share of requests that convert (the `conversion` metric of the scenario specs). */
  conversion?: number;
}

export const HEALTHY: Shape = { rate: 2000, errorRate: 0.002, slow: 0.001 };

/**
 * A metrics source in the test: cumulative counts that grow with elapsed time, as the filter's
 * counters would. `noData` makes it answer as a source without series yet.
 */
export class SyntheticMetrics implements MetricsProvider {
  readonly kind = "synthetic";
  readonly requests: CollectRequest[] = [];
  noData = false;
  /** Runs inside each collect, between the controller's read and its write. */
  onCollect: (() => Promise<void>) | undefined;
  constructor(public shapes: Record<string, Shape>) {}

  async collect(req: CollectRequest): Promise<Observations> {
    this.requests.push(req);
    await this.onCollect?.();
    if (this.noData) throw new NoDataError("requests", req.versions[0]?.name ?? "", "no series");
    const looks = req.elapsedSeconds / 30;
    const versions: Observations["versions"] = {};
    for (const v of req.versions) {
      const s = this.shapes[v.name] ?? HEALTHY;
      const n = Math.round(s.rate * looks);
      versions[v.name] = {
        requests: n,
        errors: Math.round(n * s.errorRate),
        latency: latency(n, s.slow),
        ...(s.conversion === undefined
          ? {}
          : { metrics: { conversion: { count: n, successes: Math.round(n * s.conversion) } } }),
      };
    }
    return { elapsedSeconds: req.elapsedSeconds, versions };
  }
}

/** A promoter in the test: records each call; `failures` makes the next calls throw. */
export class RecordingPromoter implements Promoter {
  readonly calls: { experiment: string; version: string }[] = [];
  failures = 0;
  async promote(e: PromotionTarget, version: string): Promise<void> {
    this.calls.push({ experiment: `${e.namespace}/${e.name}`, version });
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error("helm upgrade failed: release is locked");
    }
  }
}

/** A healthy metrics source and a recording promoter: one replica's ports. */
export function ports(): { provider: SyntheticMetrics; promoter: RecordingPromoter } {
  return {
    provider: new SyntheticMetrics({ v1: HEALTHY, v2: HEALTHY }),
    promoter: new RecordingPromoter(),
  };
}
