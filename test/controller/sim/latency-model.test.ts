import { describe, expect, it } from "vitest";
import {
  latencyWithTail,
  lognormalLatency,
  SimulationInputError,
} from "../../../controller/src/sim/index.js";

describe("latency models", () => {
  it("bucket a log-normal distribution by the histogram's bounds", () => {
    // /usr/bin/python3 -c "from scipy.stats import lognorm; print(lognorm.cdf(10, s=0.6, scale=12), lognorm.cdf(25, s=0.6, scale=12))"
    // → 0.3806137485091788 0.8893883904854628
    const m = lognormalLatency([10, 25], 12, 0.6);
    expect(m.probs[0]).toBeCloseTo(0.3806137485091788, 6);
    expect((m.probs[0] ?? 0) + (m.probs[1] ?? 0)).toBeCloseTo(0.8893883904854628, 6);
    expect(m.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it("put exactly the requested share of requests above a threshold", () => {
    const m = latencyWithTail([5, 10, 25, 50, 100], 50, 0.02, 0.6);
    const above = m.probs.slice(4).reduce((a, b) => a + b, 0);
    expect(above).toBeCloseTo(0.02, 9);
  });

  it("refuse bounds that do not increase and spreads that are not positive", () => {
    expect(() => lognormalLatency([10, 10], 12, 0.6)).toThrow(SimulationInputError);
    expect(() => lognormalLatency([10, 20], 12, 0)).toThrow(/sigma/);
    expect(() => latencyWithTail([10, 20], 20, 1.5, 0.6)).toThrow(/shareAbove/);
  });
});
