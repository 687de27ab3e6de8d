import { describe, expect, it } from "vitest";
import { assessObjective } from "../../../controller/src/core/assess-objective.js";
import {
  type Objective,
  type ResolvedMetric,
  resolveMetric,
} from "../../../controller/src/core/experiment/index.js";
import type { VersionObservation } from "../../../controller/src/core/observations.js";
import {
  meanConfidenceSequence,
  priorForLimit,
  quantileConfidenceSequence,
  rateConfidenceSequence,
} from "../../../controller/src/core/stats/index.js";
import { latency, version } from "./scenario.js";

const ALPHA = 0.01;
const metrics = [
  { name: "conversion", type: "rate" as const, provider: "prometheus" as const },
  { name: "gpu-cores", type: "mean" as const, provider: "prometheus" as const },
];

function metric(name: string): ResolvedMetric {
  const m = resolveMetric({ metrics }, name);
  if (m === undefined) throw new Error(`unknown ${name}`);
  return m;
}

function assess(o: Objective, obs: VersionObservation | undefined, final = false) {
  return assessObjective(o, metric(o.metric), obs, { alpha: ALPHA, final });
}

describe("error-rate objectives", () => {
  it("pass with 20,000 requests at 0.2% errors against a 1% limit, with the interval they were read from", () => {
    const obs = version({ requests: 20000, errorRate: 0.002 });
    const a = assess({ metric: "error-rate", upperLimit: 0.01 }, obs);
    expect(a.status).toBe("pass");
    expect(a.value).toEqual(
      rateConfidenceSequence(
        { successes: 40, trials: 20000 },
        { alpha: ALPHA, prior: priorForLimit(0.01) },
      ),
    );
    expect(a.value?.estimate).toBe(0.002);
    expect(a.value?.upper).toBeLessThan(0.01);
    expect(a.reason).toContain("surely within ≤ 0.01");
  });

  it("fail with 20,000 requests at 3% errors against a 1% limit", () => {
    const a = assess(
      { metric: "error-rate", upperLimit: 0.01 },
      version({ requests: 20000, errorRate: 0.03 }),
    );
    expect(a.status).toBe("fail");
    expect(a.value?.lower).toBeGreaterThan(0.01);
  });

  it("stay undecided on thin data: 50 requests without a single error", () => {
    const a = assess({ metric: "error-rate", upperLimit: 0.01 }, version({ requests: 50 }));
    expect(a.status).toBe("undecided");
    expect(a.value?.lower).toBe(0);
    expect(a.value?.upper).toBeGreaterThan(0.01);
    expect(a.reason).toContain("more data is needed");
  });

  it("stay undecided with no value at all for zero requests", () => {
    const a = assess({ metric: "error-rate", upperLimit: 0.01 }, { requests: 0, errors: 0 });
    expect(a.status).toBe("undecided");
    expect(a.value).toBeNull();
    expect(a.reason).toBe("error-rate has no trials yet.");
  });

  it("fail when every request is an error", () => {
    const a = assess({ metric: "error-rate", upperLimit: 0.01 }, { requests: 200, errors: 200 });
    expect(a.status).toBe("fail");
    expect(a.value?.estimate).toBe(1);
    expect(a.value?.upper).toBe(1);
  });

  it("stay undecided for a version the observations do not mention", () => {
    const a = assess({ metric: "error-rate", upperLimit: 0.01 }, undefined);
    expect(a.status).toBe("undecided");
    expect(a.reason).toBe("There are no observations of error-rate.");
  });
});

describe("quantile objectives, read from the histogram's share of slow requests", () => {
  it("pass when 0.1% of 20,000 requests are slower than the p99 limit", () => {
    const obs = version({ requests: 20000, slow: 0.001 });
    const a = assess({ metric: "latency-p99", upperLimit: 50 }, obs);
    expect(a.status).toBe("pass");
    expect(a.exceedance?.estimate).toBe(0.001);
    expect(a.exceedance?.upper).toBeLessThan(0.01);
    // the quantile itself is reported with its own sequence, never interpolated
    expect(a.value).toEqual(
      quantileConfidenceSequence(latency(20000, 0.001), 0.99, { alpha: ALPHA }),
    );
  });

  it("fail when 5% of 20,000 requests are slower than the p99 limit", () => {
    const a = assess(
      { metric: "latency-p99", upperLimit: 50 },
      version({ requests: 20000, slow: 0.05 }),
    );
    expect(a.status).toBe("fail");
    expect(a.exceedance?.lower).toBeGreaterThan(0.01);
    expect(a.reason).toContain("surely above 0.01");
  });

  it("stay conservative when the limit falls between bucket bounds", () => {
    // 3% of requests lie in the 25–50 ms bucket: whether they are above 40 ms is unknown, so the
    // objective "p99 ≤ 40" can neither pass (above 25 is 3%) nor fail (above 50 is 0%)
    const h = { boundsMs: [5, 10, 25, 50, 100], counts: [10000, 5000, 4400, 600, 0, 0] };
    const a = assess(
      { metric: "latency-p99", upperLimit: 40 },
      { requests: 20000, errors: 0, latency: h },
    );
    expect(a.status).toBe("undecided");
  });

  it("stay undecided without a histogram", () => {
    const a = assess({ metric: "latency-p99", upperLimit: 50 }, { requests: 100, errors: 0 });
    expect(a.status).toBe("undecided");
    expect(a.value).toBeNull();
  });

  it("stay undecided with only ten requests", () => {
    const a = assess(
      { metric: "latency-p99", upperLimit: 50 },
      { requests: 10, errors: 0, latency: latency(10, 0) },
    );
    expect(a.status).toBe("undecided");
  });
});

describe("mean objectives", () => {
  const meanObs = (count: number, mean: number, sd: number): VersionObservation => ({
    requests: count,
    errors: 0,
    metrics: {
      "latency-mean": {
        count,
        sum: count * mean,
        sumSquares: count * (sd * sd + mean * mean) - sd * sd,
      },
    },
  });

  it("pass when 10,000 requests average 20 ms (sd 5) against a 30 ms limit", () => {
    const obs = meanObs(10000, 20, 5);
    const a = assess({ metric: "latency-mean", upperLimit: 30 }, obs);
    expect(a.status).toBe("pass");
    expect(a.value).toEqual(
      meanConfidenceSequence(obs.metrics?.["latency-mean"] as never, { alpha: ALPHA }),
    );
  });

  it("fail when they average 40 ms against a 30 ms limit", () => {
    expect(assess({ metric: "latency-mean", upperLimit: 30 }, meanObs(10000, 40, 5)).status).toBe(
      "fail",
    );
  });

  it("decide on zero variance once there are enough values, and not before", () => {
    const constant = (n: number): VersionObservation => ({
      requests: n,
      errors: 0,
      metrics: { "gpu-cores": { count: n, sum: 4 * n, sumSquares: 16 * n } },
    });
    expect(assess({ metric: "gpu-cores", upperLimit: 5 }, constant(100)).status).toBe("pass");
    expect(assess({ metric: "gpu-cores", lowerLimit: 5 }, constant(100)).status).toBe("fail");
    const thin = assess({ metric: "gpu-cores", upperLimit: 5 }, constant(3));
    expect(thin.status).toBe("undecided");
    expect(thin.reason).toContain("too few for an interval");
  });

  it("stay undecided when latency-mean is not observed", () => {
    const a = assess({ metric: "latency-mean", upperLimit: 30 }, version({ requests: 1000 }));
    expect(a.status).toBe("undecided");
    expect(a.value).toBeNull();
  });
});

describe("custom rate objectives", () => {
  it("pass a lower limit when 4.5% of 20,000 visits convert against a 2% minimum", () => {
    const obs = version({ requests: 20000, conversions: 900 });
    expect(assess({ metric: "conversion", lowerLimit: 0.02 }, obs).status).toBe("pass");
  });

  it("fail a lower limit when 0.5% convert against a 2% minimum", () => {
    const obs = version({ requests: 20000, conversions: 100 });
    expect(assess({ metric: "conversion", lowerLimit: 0.02 }, obs).status).toBe("fail");
  });
});

describe("request-count objectives have no uncertainty", () => {
  const obs = (n: number): VersionObservation => ({ requests: n, errors: 0 });

  it("pass a minimum once it is reached", () => {
    const a = assess({ metric: "request-count", lowerLimit: 1000 }, obs(2000));
    expect(a.status).toBe("pass");
    expect(a.value).toEqual({ estimate: 2000, lower: 2000, upper: 2000 });
  });

  it("wait for an unmet minimum until the last look, then fail", () => {
    expect(assess({ metric: "request-count", lowerLimit: 1000 }, obs(500)).status).toBe(
      "undecided",
    );
    expect(assess({ metric: "request-count", lowerLimit: 1000 }, obs(500), true).status).toBe(
      "fail",
    );
  });

  it("fail a maximum as soon as it is exceeded", () => {
    const a = assess({ metric: "request-count", upperLimit: 100 }, obs(500));
    expect(a.status).toBe("fail");
    expect(a.reason).toBe("500 requests is more than the limit 100.");
  });
});
