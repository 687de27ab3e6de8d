/**
 * The ramp holds a candidate whose undecided objective leans the wrong way: its weight does not
 * rise while an estimate is past its limit; only a confident fail rolls it back.
 */
import { describe, expect, it } from "vitest";
import { analyze } from "../../../controller/src/core/analysis.js";
import { leansToFail } from "../../../controller/src/core/assess-lean.js";
import type { ObjectiveAssessment } from "../../../controller/src/core/assess-types.js";
import {
  type ResolvedMetric,
  resolveMetric,
} from "../../../controller/src/core/experiment/index.js";
import { observations, spec } from "./scenario.js";

const builtin = (name: string) => resolveMetric({}, name) as ResolvedMetric;

const undecided = (over: Partial<ObjectiveAssessment>): ObjectiveAssessment => ({
  metric: "error-rate",
  upperLimit: 0.01,
  status: "undecided",
  value: { estimate: 0.015, lower: 0.004, upper: 0.04 },
  reason: "",
  ...over,
});

describe("holding the ramp while an estimate is past its limit", () => {
  it("leans to fail on an undecided rate whose estimate is above its upper limit, not below it", () => {
    const rate = builtin("error-rate");
    expect(leansToFail(undecided({}), rate)).toBe(true);
    const below = undecided({ value: { estimate: 0.008, lower: 0.002, upper: 0.03 } });
    expect(leansToFail(below, rate)).toBe(false);
    // decided objectives never lean: a pass ramps, a fail rolls back
    expect(leansToFail(undecided({ status: "fail" }), rate)).toBe(false);
  });

  it("reads a p99 objective's lean from the share of requests slower than the limit", () => {
    const p99 = builtin("latency-p99");
    const o = (share: number) =>
      undecided({
        metric: "latency-p99",
        upperLimit: 50,
        value: { estimate: 40, lower: 10, upper: 100 },
        exceedance: { estimate: share, lower: 0, upper: 0.05 },
      });
    expect(leansToFail(o(0.015), p99)).toBe(true);
    expect(leansToFail(o(0.005), p99)).toBe(false);
  });

  it("holds a Canary at 20% when the candidate's error rate is 1.5% on 400 requests (limit 1%)", () => {
    const obs = observations({
      v1: { requests: 1600, errorRate: 0.005 },
      v2: { requests: 400, errorRate: 0.015 },
    });
    const a = analyze(spec("Canary"), obs, { previousWeights: { v1: 80, v2: 20 } });
    const errors = a.versions.v2?.objectives.find((o) => o.metric === "error-rate");
    expect(errors?.status).toBe("undecided");
    expect(a.weights).toEqual({ v1: 80, v2: 20 });
  });

  it("keeps ramping a Canary whose candidate's estimates are within the limits", () => {
    const obs = observations({
      v1: { requests: 1600, errorRate: 0.005 },
      v2: { requests: 400, errorRate: 0.005 },
    });
    const a = analyze(spec("Canary"), obs, { previousWeights: { v1: 80, v2: 20 } });
    expect(a.weights).toEqual({ v1: 70, v2: 30 });
  });
});
