import { describe, expect, it } from "vitest";
import {
  BUILTIN_METRICS,
  type ExperimentSpec,
  resolveMetric,
  versionsOf,
  withDefaults,
} from "../../../controller/src/core/experiment/index.js";
import { abn } from "./docs.js";

const spec = () => abn().spec as unknown as ExperimentSpec;

describe("the builtin metrics", () => {
  it("are the filter's counters and latency quantiles, with their kind and units", () => {
    expect(
      Object.values(BUILTIN_METRICS).map((m) => [m.name, m.kind, m.q ?? null, m.units]),
    ).toEqual([
      ["request-count", "count", null, "requests"],
      ["error-rate", "rate", null, "fraction"],
      ["latency-mean", "mean", null, "ms"],
      ["latency-p50", "quantile", 0.5, "ms"],
      ["latency-p90", "quantile", 0.9, "ms"],
      ["latency-p95", "quantile", 0.95, "ms"],
      ["latency-p99", "quantile", 0.99, "ms"],
      ["latency-p999", "quantile", 0.999, "ms"],
    ]);
    expect(BUILTIN_METRICS["latency-p999"]?.description).toBe(
      "99.9% of requests finish within this many milliseconds (from the duration histogram).",
    );
  });
});

describe("resolveMetric", () => {
  it("finds builtins first, then custom metrics, and nothing else", () => {
    expect(resolveMetric(spec(), "latency-p95")).toEqual({
      builtin: BUILTIN_METRICS["latency-p95"],
    });
    expect(resolveMetric(spec(), "conversion")).toEqual({
      custom: {
        name: "conversion",
        type: "rate",
        provider: "prometheus",
        count: "c",
        successes: "s",
      },
    });
    expect(resolveMetric(spec(), "revenue")).toBeUndefined();
    expect(resolveMetric({}, "toString")).toBeUndefined();
  });
});

describe("versionsOf", () => {
  it("lists the baseline first, then the candidates in order", () => {
    expect(versionsOf(spec()).map((v) => v.name)).toEqual(["v1", "v2", "v3"]);
    expect(versionsOf({ baseline: { name: "v7" } }).map((v) => v.name)).toEqual(["v7"]);
  });
});

describe("withDefaults", () => {
  it("fills in every default without touching the given spec", () => {
    const given = spec();
    const before = structuredClone(given);
    const resolved = withDefaults(given);
    expect(given).toEqual(before);
    expect(resolved.deploymentPattern).toBe("Progressive");
    expect(resolved.criteria.confidence).toBe(0.95);
    expect(resolved.criteria.objectives).toEqual(before.criteria.objectives);
    expect(resolved.weights).toEqual({ maxCandidateWeight: 100, maxCandidateWeightIncrement: 10 });
    expect(resolved.duration).toEqual({ intervalSeconds: 30, maxIterations: 20 });
  });

  it("keeps a zero the spec gives, which is not a missing value", () => {
    const given = spec();
    given.weights = { maxCandidateWeight: 0, maxCandidateWeightIncrement: 0 };
    expect(withDefaults(given).weights).toEqual({
      maxCandidateWeight: 0,
      maxCandidateWeightIncrement: 0,
    });
  });
});
