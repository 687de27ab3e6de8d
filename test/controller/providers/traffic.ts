import { ENVOY_DEFAULT_BUCKETS } from "../../../sidecar/src/host/index.js";
import { formatG32 } from "../../../sidecar/src/host/prometheus.js";
import { SeededRandom } from "../../../sidecar/src/host/seeded-random.js";
import { startFilter } from "../../filter/harness.js";

/**
 * Seeded traffic through the real filter in the proxy-wasm host, and what it should turn into.
 * Two experiments: `checkout` (v1 70 / v2 30 for users in the segment, v3 dark with 25% mirrored)
 * and `search` (stable 100 / canary 0, so canary's series exist with zero requests).
 */
export const PLUGIN_CONFIG = {
  routingHeader: "x-cohort-version",
  mirrorHeader: "x-cohort-mirror",
  experiments: [
    {
      name: "checkout",
      hosts: ["checkout.shop"],
      segment: { all: [{ header: "x-country", exact: "wakanda" }] },
      stickyKey: ["header:x-user-id"],
      baseline: "v1",
      versions: [
        { name: "v1", weight: 70 },
        { name: "v2", weight: 30 },
      ],
      mirror: { version: "v3", percent: 25 },
      salt: "checkout",
    },
    {
      name: "search",
      hosts: ["search.shop"],
      stickyKey: ["header:x-user-id"],
      baseline: "stable",
      versions: [
        { name: "stable", weight: 100 },
        { name: "canary", weight: 0 },
      ],
    },
  ],
};

/** One response as a client (or, for a mirror copy, the dark upstream) saw it. */
export interface Exchange {
  experiment: string;
  version: string;
  /** Part of the experiment's sample (split), as opposed to outside the segment. */
  sampled: boolean;
  status: number;
  durationMs: number;
}

export interface Traffic {
  /** The sidecar's `/stats/prometheus`: the filter's series, then Envoy-style cluster stats. */
  exposition: string;
  /** Responses of the primary routes. */
  primary: Exchange[];
  /** Responses of mirror copies (the dark version), which the filter never sees. */
  mirrored: Exchange[];
}

function pick(rng: SeededRandom): number {
  return rng.nextU32() / 2 ** 32;
}

/** A duration in whole ms: mostly tens of ms, a tail of seconds, `overflow` share above an hour. */
function duration(rng: SeededRandom, overflow: number): number {
  const u = pick(rng);
  if (u < overflow) return 3_600_001 + Math.floor(pick(rng) * 1000);
  if (u < 0.05) return 1000 + Math.floor(pick(rng) * 9000);
  return Math.floor(-Math.log(1 - pick(rng)) * 40);
}

function status(rng: SeededRandom, errorShare: number): number {
  const u = pick(rng);
  return u < errorShare ? 503 : u < errorShare + 0.03 ? 404 : 200;
}

/** Sends `requests` seeded requests through the filter and returns what the providers should see. */
export function runTraffic(requests = 600, seed = 7): Traffic {
  const emu = startFilter(PLUGIN_CONFIG);
  const rng = new SeededRandom(seed);
  const primary: Exchange[] = [];
  const mirrored: Exchange[] = [];
  for (let i = 0; i < requests; i++) {
    const checkout = i % 3 !== 0;
    const headers: Record<string, string> = {
      ":authority": checkout ? "checkout.shop" : "search.shop",
      "x-user-id": `user-${i}`,
    };
    if (!checkout || pick(rng) < 0.8) headers["x-country"] = "wakanda";
    const s = emu.stream();
    s.sendRequestHeaders(headers, true);
    const decision = JSON.parse(s.property("cohort.decision") ?? "{}") as {
      experiment: string;
      version: string;
      mirror: string | null;
      reason: string;
    };
    const isV2 = decision.version === "v2";
    const ms = duration(rng, checkout ? 0.01 : 0);
    const code = status(rng, isV2 ? 0.08 : 0.02);
    emu.clock.advance(ms);
    s.sendResponseHeaders({ ":status": String(code) }, true);
    s.complete();
    primary.push({
      experiment: decision.experiment,
      version: decision.version,
      sampled: decision.reason === "split",
      status: code,
      durationMs: ms,
    });
    if (decision.mirror !== null)
      mirrored.push({
        experiment: decision.experiment,
        version: decision.mirror,
        sampled: true,
        status: status(rng, 0.1),
        durationMs: duration(rng, 0),
      });
  }
  return {
    exposition: emu.prometheus() + renderClusterStats([...primary, ...mirrored]),
    primary,
    mirrored,
  };
}

/**
 * Envoy's upstream cluster stats as its admin `/stats/prometheus` prints them (tags
 * `envoy.response_code`, `envoy.response_code_class`, `envoy.cluster_name`): per code
 * `envoy_cluster_upstream_rq`, per class `envoy_cluster_upstream_rq_xx` ("5" for 5xx), one
 * cluster per version named like the version.
 */
export function renderClusterStats(exchanges: Exchange[]): string {
  const clusters = [...new Set(exchanges.map((e) => e.version))].sort();
  const of = (c: string) => exchanges.filter((e) => e.version === c);
  let byCode = "# TYPE envoy_cluster_upstream_rq counter\n";
  let byClass = "# TYPE envoy_cluster_upstream_rq_xx counter\n";
  let total = "# TYPE envoy_cluster_upstream_rq_total counter\n";
  let completed = "# TYPE envoy_cluster_upstream_rq_completed counter\n";
  let time = "# TYPE envoy_cluster_upstream_rq_time histogram\n";
  for (const c of clusters) {
    const ex = of(c);
    const codes = [...new Set(ex.map((e) => e.status))].sort();
    for (const code of codes)
      byCode += `envoy_cluster_upstream_rq{envoy_response_code="${code}",envoy_cluster_name="${c}"} ${ex.filter((e) => e.status === code).length}\n`;
    const classOf = (code: number) => String(Math.floor(code / 100));
    for (const cls of [...new Set(codes.map(classOf))])
      byClass += `envoy_cluster_upstream_rq_xx{envoy_response_code_class="${cls}",envoy_cluster_name="${c}"} ${ex.filter((e) => classOf(e.status) === cls).length}\n`;
    total += `envoy_cluster_upstream_rq_total{envoy_cluster_name="${c}"} ${ex.length}\n`;
    completed += `envoy_cluster_upstream_rq_completed{envoy_cluster_name="${c}"} ${ex.length}\n`;
    for (const le of ENVOY_DEFAULT_BUCKETS)
      time += `envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name="${c}",le="${formatG32(le)}"} ${ex.filter((e) => e.durationMs <= le).length}\n`;
    time += `envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name="${c}",le="+Inf"} ${ex.length}\n`;
    time += `envoy_cluster_upstream_rq_time_sum{envoy_cluster_name="${c}"} ${ex.reduce((a, e) => a + e.durationMs, 0)}\n`;
    time += `envoy_cluster_upstream_rq_time_count{envoy_cluster_name="${c}"} ${ex.length}\n`;
  }
  return `${byCode}\n${completed}\n${total}\n${byClass}\n${time}\n`;
}
