import { defineMetric, NO_METRIC } from "../abi/metrics";
import { MetricType } from "../abi/types";
import { Experiment, PluginConfig } from "../config/types";
import { REASON_NAMES, Reason } from "../logic/decision";

// The one owner of metric definitions. Names follow Istio's tag convention, tags first:
//   cohort_experiment=.=<e>;.;cohort_version=.=<v>;.;cohort_reason=.=<r>;.;cohort_requests_total
// Envoy prefixes `wasmcustom.`, strips it in /stats/prometheus, and the extraStatTags
// cohort_experiment, cohort_version, cohort_reason, cohort_status_class turn the embedded tags
// into labels. docs/metrics.md lists every Prometheus series these become.

export const STATUS_CLASSES: string[] = ["1xx", "2xx", "3xx", "4xx", "5xx"];

function tag(name: string, value: string): string {
  return name + "=.=" + value + ";.;";
}

/** Ids of one version's metrics within one experiment. */
export class VersionMetrics {
  /** Request counters by reason (index = Reason), NO_METRIC where a reason cannot occur. */
  requests: StaticArray<u32> = new StaticArray<u32>(REASON_NAMES.length);
  /** Response counters of the sample by status class 1xx..5xx. */
  responses: StaticArray<u32> = new StaticArray<u32>(STATUS_CLASSES.length);
  duration: u32 = NO_METRIC;
}

/** Ids of one experiment's metrics. */
export class ExperimentMetrics {
  versions: VersionMetrics[] = [];
  mirrored: u32 = NO_METRIC;
  fallbacks: u32 = NO_METRIC;
  overrideRejected: u32 = NO_METRIC;
  /** Header or cookie values ignored as longer than MAX_VALUE_BYTES (abi/request-headers.ts). */
  oversized: u32 = NO_METRIC;
}

/** Ids of every metric of a configuration. */
export class PluginMetrics {
  experiments: ExperimentMetrics[] = [];
  unmatched: u32 = NO_METRIC;
  /** Fallbacks before an experiment could be chosen (header map unreadable). */
  fallbacksUnknown: u32 = NO_METRIC;
  configRejections: u32 = NO_METRIC;
}

/** Metrics that exist whatever the configuration, so a refused config can still be counted. */
export function defineGlobalMetrics(m: PluginMetrics): void {
  m.unmatched = defineMetric(MetricType.Counter, "cohort_unmatched_requests_total");
  m.fallbacksUnknown = defineMetric(
    MetricType.Counter,
    tag("cohort_experiment", "_") + "cohort_fallbacks_total",
  );
  m.configRejections = defineMetric(MetricType.Counter, "cohort_config_rejections_total");
}

/** Defines the metrics of `config` (in proxy_on_configure: top-level definition traps in Envoy). */
export function defineMetrics(config: PluginConfig, m: PluginMetrics): void {
  defineGlobalMetrics(m);
  for (let i = 0; i < config.experiments.length; i++) {
    m.experiments.push(defineExperiment(unchecked(config.experiments[i])));
  }
}

function defineExperiment(e: Experiment): ExperimentMetrics {
  const m = new ExperimentMetrics();
  const experimentTag = tag("cohort_experiment", e.name);
  const participantReason = e.assignment !== null ? Reason.Assignment : Reason.Split;
  for (let v = 0; v < e.versions.length; v++) {
    const vm = new VersionMetrics();
    const versionTag = experimentTag + tag("cohort_version", unchecked(e.versions[v]).name);
    for (let r = 0; r < REASON_NAMES.length; r++) {
      const possible =
        r == participantReason ||
        (r == Reason.Override && e.qaOverride !== null) ||
        (v == e.baseline &&
          (r == Reason.OutsideSegment || r == Reason.NoKey || r == Reason.Fallback));
      unchecked(
        (vm.requests[r] = possible
          ? defineMetric(
              MetricType.Counter,
              versionTag + tag("cohort_reason", REASON_NAMES[r]) + "cohort_requests_total",
            )
          : NO_METRIC),
      );
    }
    for (let c = 0; c < STATUS_CLASSES.length; c++) {
      unchecked(
        (vm.responses[c] = defineMetric(
          MetricType.Counter,
          versionTag + tag("cohort_status_class", STATUS_CLASSES[c]) + "cohort_responses_total",
        )),
      );
    }
    vm.duration = defineMetric(MetricType.Histogram, versionTag + "cohort_request_duration_ms");
    m.versions.push(vm);
  }
  const mirror = e.mirror;
  if (mirror !== null) {
    m.mirrored = defineMetric(
      MetricType.Counter,
      experimentTag + tag("cohort_version", mirror.version) + "cohort_mirrored_requests_total",
    );
  }
  m.fallbacks = defineMetric(MetricType.Counter, experimentTag + "cohort_fallbacks_total");
  m.oversized = defineMetric(MetricType.Counter, experimentTag + "cohort_oversized_values_total");
  if (e.qaOverride !== null) {
    m.overrideRejected = defineMetric(
      MetricType.Counter,
      experimentTag + "cohort_override_rejected_total",
    );
  }
  return m;
}
