import type { Stat } from "../host/metric-store.js";
import { renderPrometheus } from "../host/prometheus.js";
import { TagExtractor } from "../host/tag-extractor.js";

/**
 * Envoy's default tag extractors for the cluster stats kept here
 * (source/common/config/well_known_names.cc): `cluster.<name>.` → envoy_cluster_name,
 * `_rq_<ddd>` → envoy_response_code, `_rq_<d>xx` → envoy_response_code_class. So
 * `cluster.v2.upstream_rq_2xx` becomes `envoy_cluster_upstream_rq_xx{envoy_response_code_class="2",
 * envoy_cluster_name="v2"}`, the series a real Envoy exports.
 */
const ENVOY_TAGS = new TagExtractor([
  { tagName: "envoy.response_code", regex: "_rq(_(\\d{3}))$" },
  { tagName: "envoy.response_code_class", regex: "_rq_(\\d)xx$" },
  { tagName: "envoy.cluster_name", regex: "^cluster\\.((.*?)\\.)" },
]);

type CounterName =
  | "upstream_rq_total"
  | "upstream_rq_completed"
  | "upstream_rq_timeout"
  | "upstream_rq_pending_overflow"
  | "upstream_cx_total"
  | "upstream_cx_connect_fail"
  | "upstream_cx_connect_timeout"
  | "upstream_rq_rx_reset"
  | "upstream_rq_retry";

const COUNTERS: CounterName[] = [
  "upstream_cx_connect_fail",
  "upstream_cx_connect_timeout",
  "upstream_cx_total",
  "upstream_rq_completed",
  "upstream_rq_pending_overflow",
  "upstream_rq_retry",
  "upstream_rq_rx_reset",
  "upstream_rq_timeout",
  "upstream_rq_total",
];

interface ClusterStatSet {
  counters: Map<string, Stat>;
  active: Stat;
  time: Stat;
}

/**
 * Envoy's upstream cluster stats (docs: configuration/upstream/cluster_manager/cluster_stats),
 * for every cluster, primary and shadow traffic alike: the metrics provider reads the dark
 * version's objectives from them, because the filter never sees a shadow's response.
 */
export class ClusterStats {
  private readonly byCluster = new Map<string, ClusterStatSet>();
  private readonly all: Stat[] = [];

  constructor(
    clusters: readonly string[],
    private readonly buckets: readonly number[],
  ) {
    for (const c of clusters) this.cluster(c);
  }

  private stat(cluster: string, name: string, type: Stat["type"]): Stat {
    const s: Stat = {
      fullName: `cluster.${cluster}.${name}`,
      name,
      type,
      value: 0,
      bucketCounts: type === "histogram" ? new Array(this.buckets.length + 1).fill(0) : [],
      sum: 0,
    };
    this.all.push(s);
    return s;
  }

  private cluster(name: string): ClusterStatSet {
    let set = this.byCluster.get(name);
    if (set) return set;
    const counters = new Map<string, Stat>();
    for (const c of COUNTERS) counters.set(c, this.stat(name, c, "counter"));
    set = {
      counters,
      active: this.stat(name, "upstream_rq_active", "gauge"),
      time: this.stat(name, "upstream_rq_time", "histogram"),
    };
    this.byCluster.set(name, set);
    return set;
  }

  private counter(cluster: string, name: string): Stat {
    const set = this.cluster(cluster);
    let s = set.counters.get(name);
    if (!s) {
      s = this.stat(cluster, name, "counter");
      set.counters.set(name, s);
    }
    return s;
  }

  inc(cluster: string, name: CounterName): void {
    this.counter(cluster, name).value++;
  }

  /** Router::chargeUpstreamCode: upstream_rq_<code>, upstream_rq_<class>xx, upstream_rq_completed. */
  chargeCode(cluster: string, status: number): void {
    this.counter(cluster, `upstream_rq_${status}`).value++;
    this.counter(cluster, `upstream_rq_${Math.floor(status / 100)}xx`).value++;
    this.counter(cluster, "upstream_rq_completed").value++;
  }

  /** upstream_rq_time (ms): downstream request complete → upstream response complete. */
  recordTime(cluster: string, ms: number): void {
    const h = this.cluster(cluster).time;
    let i = 0;
    while (i < this.buckets.length && ms > (this.buckets[i] as number)) i++;
    h.bucketCounts[i] = (h.bucketCounts[i] as number) + 1;
    h.sum += ms;
    h.value++;
  }

  activeDelta(cluster: string, d: number): void {
    const g = this.cluster(cluster).active;
    g.value = Math.max(0, g.value + d);
  }

  /** A counter's value (tests, config_dump). */
  value(cluster: string, name: string): number {
    return this.byCluster.get(cluster)?.counters.get(name)?.value ?? 0;
  }

  /** The `/stats/prometheus` lines of these stats, rendered like Envoy's admin. */
  prometheus(): string {
    return renderPrometheus(this.all, ENVOY_TAGS, this.buckets);
  }
}
