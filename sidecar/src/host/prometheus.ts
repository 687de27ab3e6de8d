import type { MetricType } from "./abi.js";
import type { Stat } from "./metric-store.js";
import { WASM_STAT_NAMESPACE } from "./metric-store.js";
import type { Tag, TagExtractor } from "./tag-extractor.js";

/** Envoy's sanitizeName (source/server/admin/prometheus_stats.cc): `[^a-zA-Z0-9_]` → `_`. */
export function sanitizeName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, "_");
}

/**
 * PrometheusStatsFormatter::metricName: a stat in a custom namespace (`wasmcustom.`) loses the
 * namespace and gets no `envoy_` prefix; a name that is empty or starts with a digit after
 * sanitizing is not exported at all (undefined).
 */
export function metricName(tagExtractedName: string): string | undefined {
  const prefix = `${WASM_STAT_NAMESPACE}.`;
  if (tagExtractedName.startsWith(prefix)) {
    const s = sanitizeName(tagExtractedName.slice(prefix.length));
    if (s.length === 0 || /^[0-9]/.test(s)) return undefined;
    return s;
  }
  return `envoy_${sanitizeName(tagExtractedName)}`;
}

/** fmt's `{:.32g}`: up to 32 significant digits, trailing zeros dropped. */
export function formatG32(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? "inf" : x < 0 ? "-inf" : "nan";
  if (x === 0) return "0";
  const exp = Math.floor(Math.log10(Math.abs(x)));
  if (exp < -4 || exp >= 32) {
    const [m = "0", e = "0"] = x.toExponential(31).split("e");
    const mant = m.includes(".") ? m.replace(/0+$/, "").replace(/\.$/, "") : m;
    const en = Number(e);
    return `${mant}e${en < 0 ? "-" : "+"}${String(Math.abs(en)).padStart(2, "0")}`;
  }
  const s = x.toPrecision(32);
  if (s.includes("e")) return String(x);
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}

function formattedTags(tags: Tag[]): string {
  return tags.map((t) => `${sanitizeName(t.name)}="${t.value}"`).join(",");
}

interface Rendered {
  stat: Stat;
  tags: Tag[];
}

/** StatNameLessThan compares names element by element (the parts between dots). */
function compareStatNames(a: string, b: string): number {
  const pa = a.split(".");
  const pb = b.split(".");
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] as string;
    const y = pb[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

/**
 * The `/stats/prometheus` text for the given stats, like Envoy's admin
 * (PrometheusStatsFormatter::statsAsPrometheus): counters, then gauges, then histograms; within a
 * type one group per tag-extracted name, sorted by name, each with a `# TYPE` line, its series
 * sorted by full stat name, and a blank line after the group. Histograms print cumulative
 * `_bucket{le=...}` lines, `+Inf`, `_sum` and `_count`.
 */
export function renderPrometheus(
  stats: readonly Stat[],
  extractor: TagExtractor,
  bucketBounds: readonly number[],
): string {
  let out = "";
  for (const type of ["counter", "gauge", "histogram"] as MetricType[]) {
    const groups = new Map<string, Rendered[]>();
    for (const stat of stats) {
      if (stat.type !== type) continue;
      const { tagExtractedName, tags } = extractor.extract(stat.fullName);
      const list = groups.get(tagExtractedName) ?? [];
      list.push({ stat, tags });
      groups.set(tagExtractedName, list);
    }
    const names = [...groups.keys()].sort(compareStatNames);
    for (const groupName of names) {
      const name = metricName(groupName);
      if (name === undefined) continue;
      out += `# TYPE ${name} ${type}\n`;
      const series = (groups.get(groupName) as Rendered[]).sort((a, b) =>
        compareStatNames(a.stat.fullName, b.stat.fullName),
      );
      for (const { stat, tags } of series) {
        const t = formattedTags(tags);
        if (type !== "histogram") {
          out += `${name}{${t}} ${stat.value}\n`;
          continue;
        }
        const ht = tags.length === 0 ? "" : `${t},`;
        let cumulative = 0;
        bucketBounds.forEach((le, i) => {
          cumulative += stat.bucketCounts[i] ?? 0;
          out += `${name}_bucket{${ht}le="${formatG32(le)}"} ${cumulative}\n`;
        });
        out += `${name}_bucket{${ht}le="+Inf"} ${stat.value}\n`;
        out += `${name}_sum{${t}} ${formatG32(stat.sum)}\n`;
        out += `${name}_count{${t}} ${stat.value}\n`;
      }
      out += "\n";
    }
  }
  return out;
}
