import { describe, expect, it } from "vitest";
import { validateExperiment } from "../../../controller/src/core/experiment/index.js";
import { abn, canary } from "./docs.js";

describe("validateExperiment: versions per testing pattern", () => {
  it("asks Conformance to test the baseline alone", () => {
    const doc = canary();
    doc.spec.testingPattern = "Conformance";
    expect(validateExperiment(doc)).toEqual([
      {
        path: "spec.candidates",
        message: "Conformance tests the baseline alone; remove the candidates (found 1: v2)",
      },
    ]);
  });

  it("asks Canary for exactly one candidate", () => {
    const doc = canary();
    doc.spec.candidates = [{ name: "v2" }, { name: "v3" }];
    expect(validateExperiment(doc)).toEqual([
      { path: "spec.candidates", message: "Canary needs exactly one candidate, found 2: v2, v3" },
    ]);
    delete doc.spec.candidates;
    expect(validateExperiment(doc)).toEqual([
      { path: "spec.candidates", message: "Canary needs exactly one candidate, found none" },
    ]);
  });

  it("asks AB for exactly one candidate", () => {
    const doc = abn();
    doc.spec.testingPattern = "AB";
    expect(validateExperiment(doc)).toEqual([
      { path: "spec.candidates", message: "AB needs exactly one candidate, found 2: v2, v3" },
    ]);
  });

  it("asks ABN for two or more candidates and points to AB for one", () => {
    const doc = abn();
    doc.spec.candidates = [{ name: "v2" }];
    expect(validateExperiment(doc)).toEqual([
      {
        path: "spec.candidates",
        message: "ABN needs two or more candidates, found 1: v2 (use AB for one)",
      },
    ]);
  });

  it("reports each duplicate version name with the first place it was used", () => {
    const doc = abn();
    doc.spec.candidates = [{ name: "v2" }, { name: "v1" }, { name: "v2" }];
    expect(validateExperiment(doc)).toEqual([
      {
        path: "spec.candidates[1].name",
        message: 'duplicate version name "v1" (also spec.baseline.name)',
      },
      {
        path: "spec.candidates[2].name",
        message: 'duplicate version name "v2" (also spec.candidates[0].name)',
      },
    ]);
  });
});

describe("validateExperiment: initial weights", () => {
  it("wants the weights of all versions to add up to 100 when every version has one", () => {
    const doc = canary();
    doc.spec.baseline = { name: "v1", weight: 80 };
    doc.spec.candidates = [{ name: "v2", weight: 10 }];
    expect(validateExperiment(doc)).toEqual([
      { path: "spec.baseline.weight", message: "the versions' weights add up to 90, not 100" },
    ]);
  });

  it("refuses partial weights above 100 in total", () => {
    const doc = abn();
    doc.spec.candidates = [
      { name: "v2", weight: 70 },
      { name: "v3", weight: 40 },
    ];
    expect(validateExperiment(doc)).toEqual([
      {
        path: "spec.baseline.weight",
        message: "the versions' weights add up to 110, more than 100",
      },
    ]);
  });

  it("refuses a candidate that starts above maxCandidateWeight", () => {
    const doc = canary();
    doc.spec.baseline = { name: "v1", weight: 40 };
    doc.spec.candidates = [{ name: "v2", weight: 60 }];
    doc.spec.weights = { maxCandidateWeight: 50 };
    expect(validateExperiment(doc)).toEqual([
      {
        path: "spec.candidates[0].weight",
        message: "60 is above spec.weights.maxCandidateWeight (50)",
      },
    ]);
  });
});

describe("validateExperiment: criteria", () => {
  it("asks Canary and Conformance for objectives", () => {
    const doc = canary();
    doc.spec.criteria.objectives = [];
    expect(validateExperiment(doc)).toEqual([
      { path: "spec.criteria.objectives", message: "Canary needs at least one objective" },
    ]);
    doc.spec.testingPattern = "Conformance";
    delete doc.spec.candidates;
    delete doc.spec.criteria.objectives;
    expect(validateExperiment(doc)).toEqual([
      { path: "spec.criteria.objectives", message: "Conformance needs at least one objective" },
    ]);
  });

  it("asks AB and ABN for a reward", () => {
    const doc = abn();
    delete doc.spec.criteria.reward;
    expect(validateExperiment(doc)).toEqual([
      { path: "spec.criteria.reward", message: "ABN needs a reward to pick the winner" },
    ]);
    doc.spec.testingPattern = "AB";
    doc.spec.candidates = [{ name: "v2" }];
    expect(validateExperiment(doc)).toEqual([
      { path: "spec.criteria.reward", message: "AB needs a reward to pick the winner" },
    ]);
  });

  it("names unknown metrics in objectives and the reward, guessing close builtins", () => {
    const doc = abn();
    doc.spec.criteria.objectives = [
      { metric: "latency-p9", upperLimit: 50 },
      { metric: "revenue", lowerLimit: 1 },
    ];
    doc.spec.criteria.reward = { metric: "conversions", preferredDirection: "High" };
    expect(validateExperiment(doc)).toEqual([
      {
        path: "spec.criteria.objectives[0].metric",
        message: 'unknown metric "latency-p9"; did you mean latency-p90?',
      },
      {
        path: "spec.criteria.objectives[1].metric",
        message:
          'unknown metric "revenue": not a builtin (request-count, error-rate, latency-mean, latency-p50, latency-p90, latency-p95, latency-p99, latency-p999) nor defined in spec.metrics',
      },
      {
        path: "spec.criteria.reward.metric",
        message: 'unknown metric "conversions"; did you mean conversion?',
      },
    ]);
  });

  it("asks every objective for a limit", () => {
    const doc = canary();
    doc.spec.criteria.objectives = [{ metric: "latency-mean" }];
    expect(validateExperiment(doc)).toEqual([
      { path: "spec.criteria.objectives[0]", message: "needs upperLimit, lowerLimit or both" },
    ]);
  });

  it("refuses a lower limit above the upper limit", () => {
    const doc = canary();
    doc.spec.criteria.objectives = [{ metric: "latency-mean", lowerLimit: 20, upperLimit: 10 }];
    expect(validateExperiment(doc)).toEqual([
      {
        path: "spec.criteria.objectives[0].lowerLimit",
        message: "lowerLimit 20 is above upperLimit 10, so no version can pass",
      },
    ]);
  });

  it("catches a rate limit written as a percent", () => {
    const doc = canary();
    doc.spec.criteria.objectives = [{ metric: "error-rate", upperLimit: 5 }];
    expect(validateExperiment(doc)).toEqual([
      {
        path: "spec.criteria.objectives[0].upperLimit",
        message: "error-rate is a fraction from 0 to 1, not 5 (write 0.05 for 5%)",
      },
    ]);
  });

  it("refuses a negative latency limit", () => {
    const doc = canary();
    doc.spec.criteria.objectives = [{ metric: "latency-p50", upperLimit: -1 }];
    expect(validateExperiment(doc)).toEqual([
      {
        path: "spec.criteria.objectives[0].upperLimit",
        message: "latency-p50 is in milliseconds, so not -1",
      },
    ]);
  });

  it("refuses request-count as an objective and as a reward", () => {
    const doc = abn();
    doc.spec.criteria.objectives = [{ metric: "request-count", lowerLimit: 100 }];
    doc.spec.criteria.reward = { metric: "request-count", preferredDirection: "High" };
    expect(validateExperiment(doc)).toEqual([
      {
        path: "spec.criteria.objectives[0].metric",
        message:
          "request-count is a count, so it cannot be an objective: use error-rate, a latency metric or a custom metric",
      },
      {
        path: "spec.criteria.reward.metric",
        message:
          "request-count is a count and cannot be a reward: use latency-mean, error-rate or a custom rate or mean metric",
      },
    ]);
  });

  it("refuses a quantile as the reward", () => {
    const doc = abn();
    doc.spec.criteria.reward = { metric: "latency-p99", preferredDirection: "Low" };
    expect(validateExperiment(doc)).toEqual([
      {
        path: "spec.criteria.reward.metric",
        message:
          "latency-p99 is a quantile and cannot be a reward: use latency-mean, error-rate or a custom rate or mean metric",
      },
    ]);
  });

  it("accepts builtin mean and rate metrics as the reward", () => {
    for (const metric of ["latency-mean", "error-rate"]) {
      const doc = abn();
      doc.spec.criteria.reward = { metric, preferredDirection: "Low" };
      expect(validateExperiment(doc)).toEqual([]);
    }
  });
});

describe("validateExperiment: custom metrics", () => {
  it("asks a rate metric for count and successes queries", () => {
    const doc = abn();
    doc.spec.metrics = [{ name: "conversion", type: "rate", provider: "prometheus", count: "c" }];
    expect(validateExperiment(doc)).toEqual([
      {
        path: "spec.metrics[0]",
        message: "a rate metric needs the queries count and successes; missing successes",
      },
    ]);
  });

  it("asks a mean metric for count, sum and sumSquares queries and refuses rate queries", () => {
    const doc = abn();
    doc.spec.metrics = [
      { name: "conversion", type: "mean", provider: "prometheus", count: "c", successes: "s" },
    ];
    expect(validateExperiment(doc)).toEqual([
      {
        path: "spec.metrics[0]",
        message:
          "a mean metric needs the queries count, sum and sumSquares; missing sum and sumSquares",
      },
      {
        path: "spec.metrics[0].successes",
        message: "successes is not a query of mean metrics, which use count, sum and sumSquares",
      },
    ]);
  });

  it("refuses a custom metric named like a builtin or like another custom metric", () => {
    const doc = abn();
    const rate = { type: "rate", provider: "prometheus", count: "c", successes: "s" };
    doc.spec.metrics = [
      { name: "conversion", ...rate },
      { name: "error-rate", ...rate },
      { name: "conversion", ...rate },
    ];
    expect(validateExperiment(doc)).toEqual([
      {
        path: "spec.metrics[1].name",
        message: '"error-rate" is a builtin metric; give the custom metric another name',
      },
      {
        path: "spec.metrics[2].name",
        message: 'duplicate metric name "conversion" (also spec.metrics[0].name)',
      },
    ]);
  });
});

describe("validateExperiment: traffic", () => {
  it("refuses a mirror version that is also in the split", () => {
    const doc = canary();
    doc.spec.traffic = { mirror: { version: "v2", percent: 25 } };
    expect(validateExperiment(doc)).toEqual([
      {
        path: "spec.traffic.mirror.version",
        message:
          "v2 is in the split (spec.candidates[0]); the mirror version must be a separate version that only gets copies",
      },
    ]);
    doc.spec.traffic = { mirror: { version: "v3", percent: 25 } };
    expect(validateExperiment(doc)).toEqual([]);
  });

  it("refuses a mirror percent above 100", () => {
    const doc = canary();
    doc.spec.traffic = { mirror: { version: "v3", percent: 250 } };
    expect(validateExperiment(doc)).toEqual([
      { path: "spec.traffic.mirror.percent", message: "must be between 0 and 100, not 250" },
    ]);
  });

  it("wants each segment condition to test one header or cookie in one way", () => {
    const doc = canary();
    doc.spec.traffic = {
      segment: {
        all: [
          { header: "x-country", exact: "wakanda", prefix: "w" },
          { header: "x-a", cookie: "a", present: true },
          { exact: "x" },
          { any: [{ cookie: "beta" }] },
          {},
        ],
      },
    };
    expect(validateExperiment(doc)).toEqual([
      {
        path: "spec.traffic.segment.all[0]",
        message:
          "has 2 tests (exact, prefix); use one per condition and combine conditions with all or any",
      },
      {
        path: "spec.traffic.segment.all[1]",
        message: "has both header and cookie; a condition tests one",
      },
      { path: "spec.traffic.segment.all[2]", message: "needs header or cookie" },
      {
        path: "spec.traffic.segment.all[3].any[0]",
        message: "needs one test: exact, prefix, suffix, contains, oneOf, present, absent",
      },
      { path: "spec.traffic.segment.all[4]", message: "needs header or cookie" },
      {
        path: "spec.traffic.segment.all[4]",
        message: "needs one test: exact, prefix, suffix, contains, oneOf, present, absent",
      },
    ]);
  });

  it("wants each segment node to be exactly one of all, any or not, with true flags", () => {
    const doc = canary();
    doc.spec.traffic = {
      segment: {
        any: [
          { all: [{ header: "x-a", present: true }], any: [{ cookie: "b", absent: true }] },
          { not: { header: "x-beta", present: false } },
          { all: [] },
          { header: "X-Country", exact: "wakanda" },
        ],
      },
    };
    expect(validateExperiment(doc)).toEqual([
      { path: "spec.traffic.segment.any[2].all", message: "needs at least one item" },
      {
        path: "spec.traffic.segment.any[3].header",
        message: '"X-Country" is not valid: A header name in lower case.',
      },
      {
        path: "spec.traffic.segment.any[0]",
        message: "has all and any; use exactly one of all, any, not and nest the others",
      },
      {
        path: "spec.traffic.segment.any[1].not.present",
        message: "must be true (write absent: true instead)",
      },
    ]);
  });

  it("accepts a segment built from not, all and any", () => {
    const doc = canary();
    doc.spec.traffic = {
      segment: {
        all: [
          { not: { cookie: "opt-out", present: true } },
          {
            any: [
              { header: "x-country", oneOf: ["wakanda", "genovia"] },
              { header: "x-beta", exact: "1" },
            ],
          },
        ],
      },
    };
    expect(validateExperiment(doc)).toEqual([]);
  });

  it("names a misspelt field inside a nested segment condition", () => {
    const doc = canary();
    doc.spec.traffic = { segment: { any: [{ all: [{ header: "x-a", exakt: "1" }] }] } };
    expect(validateExperiment(doc)).toEqual([
      {
        path: "spec.traffic.segment.any[0].all[0].exakt",
        message: "unknown field; did you mean exact?",
      },
      {
        path: "spec.traffic.segment.any[0].all[0]",
        message: "needs one test: exact, prefix, suffix, contains, oneOf, present, absent",
      },
    ]);
  });
});

describe("validateExperiment: every problem at once", () => {
  it("reports problems of different fields together instead of stopping at the first", () => {
    const doc = abn();
    doc.spec.candidates = [{ name: "v1" }];
    delete doc.spec.criteria.reward;
    doc.spec.criteria.objectives = [{ metric: "latency-p99", upperLimit: "50ms" }];
    doc.spec.traffic = { mirror: { version: "v1", percent: 10 } };
    expect(validateExperiment(doc).map((p) => p.path)).toEqual([
      "spec.criteria.objectives[0].upperLimit",
      "spec.candidates",
      "spec.candidates[0].name",
      "spec.criteria.reward",
      "spec.traffic.mirror.version",
    ]);
  });
});
