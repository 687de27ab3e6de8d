/**
 * A report's input made the way a run makes it: the core's `reconcile` over cumulative
 * observations look after look (deterministic counts, no randomness), each status written as the
 * state file writes it (JSON: unbounded ends become null).
 */
import { toJsonValue } from "../../../controller/src/core/analysis-json.js";
import { parseExperiment } from "../../../controller/src/core/experiment/index.js";
import type { VersionObservation } from "../../../controller/src/core/observations.js";
import { reconcile } from "../../../controller/src/core/reconcile.js";
import type { ExperimentStatus } from "../../../controller/src/core/status.js";
import type { ReportInput, ReportLook } from "../../../controller/src/report/index.js";

export const HOSTILE_NAME = "<script>document.title='owned'</script>";
export const HOSTILE_TARGET = `</title><img src=x onerror="document.title='owned'">`;
export const HOSTILE_HELD = `metrics unavailable: <b id="bold">GET</b> & "quotes"`;

export function experimentYaml(target: string): string {
  return `apiVersion: cohort.dev/v1alpha1
kind: Experiment
metadata: { name: report-test }
spec:
  target: ${JSON.stringify(target)}
  testingPattern: AB
  baseline: { name: v1 }
  candidates: [ { name: v2 } ]
  criteria:
    objectives:
      - { metric: latency-p99, upperLimit: 100 }
      - { metric: error-rate, upperLimit: 0.02 }
    reward: { metric: conversion, preferredDirection: High }
  metrics:
    - { name: conversion, type: rate, provider: prometheus, count: "a", successes: "b" }
  traffic: { mirror: { version: v3, percent: 25 } }
  duration: { intervalSeconds: 10, maxIterations: 40 }
`;
}

/** Cumulative counts after `n` requests: 0.5% errors, 0.4% slower than 100 ms, conversion `c`. */
function observation(n: number, conversion: number): VersionObservation {
  const slow = Math.round(n * 0.004);
  return {
    requests: n,
    errors: Math.round(n * 0.005),
    latency: { boundsMs: [10, 50, 100, 250], counts: [n - slow - 20, 20, 0, slow, 0] },
    metrics: { conversion: { count: n, successes: Math.round(n * conversion) } },
  };
}

/** `looks` looks of 1500 requests per version each, with one held look after the second. */
export function reportInput(looks: number, name = "report-test", target = "shop"): ReportInput {
  const { spec } = parseExperiment(experimentYaml(target));
  const start = Date.parse("2026-11-26T10:00:00Z");
  let status: ExperimentStatus | undefined;
  const history: ReportLook[] = [];
  let observed: Record<string, VersionObservation> = {};
  for (let k = 1; k <= looks; k++) {
    const n = 1500 * k;
    observed = {
      v1: observation(n, 0.1),
      v2: observation(n, 0.14),
      v3: observation(Math.round(n / 4), 0.1),
    };
    const now = new Date(start + k * 10_000);
    status = reconcile(spec, status, { elapsedSeconds: k * 10, versions: observed }, now).status;
    const json = toJsonValue(status) as ExperimentStatus;
    history.push({
      look: history.length + 1,
      iteration: json.iteration,
      elapsedSeconds: k * 10,
      time: now.toISOString(),
      phase: json.phase,
      weights: json.weights,
      versions: json.versions,
      requests: Object.fromEntries(Object.entries(observed).map(([v, o]) => [v, o.requests])),
    });
    if (k === 2)
      history.push({
        look: history.length + 1,
        iteration: json.iteration,
        elapsedSeconds: k * 10 + 5,
        phase: json.phase,
        weights: json.weights,
        held: HOSTILE_HELD,
      });
  }
  return {
    name,
    spec,
    status: toJsonValue(status) as ExperimentStatus,
    history,
    promotion: null,
    observed,
  };
}
