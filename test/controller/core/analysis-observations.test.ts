import { describe, expect, it } from "vitest";
import {
  ObservationsError,
  parseObservations,
} from "../../../controller/src/core/analysis-observations.js";

describe("parseObservations", () => {
  it("accepts the documented shape with rate and mean metrics", () => {
    const doc = {
      elapsedSeconds: 600,
      currentWeights: { v1: 80, v2: 20 },
      versions: {
        v1: {
          requests: 20000,
          errors: 40,
          latency: { boundsMs: [5, 10, 25, 50, 100], counts: [1, 2, 3, 4, 5, 6] },
          metrics: {
            conversion: { count: 20000, successes: 610 },
            "gpu-cores": { count: 500, sum: 2000, sumSquares: 8500 },
          },
        },
      },
    };
    expect(parseObservations(doc)).toEqual(doc);
  });

  it("lists every problem, each naming its field", () => {
    const bad = {
      versions: {
        v1: { requests: 10, errors: 20, latency: { boundsMs: [10, 5], counts: [1, 2, 3] } },
        v2: {
          requests: -1,
          errors: 0,
          metrics: { conversion: { count: 5, successes: 9 }, x: { count: 1 } },
        },
      },
    };
    let error: unknown;
    try {
      parseObservations(bad, "obs.json");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ObservationsError);
    expect((error as ObservationsError).problems).toEqual([
      "elapsedSeconds: expected a number ≥ 0, got undefined",
      "versions.v1.errors: 20 is more than requests 10",
      "versions.v1.latency.boundsMs[1]: bounds must increase strictly",
      "versions.v2.requests: expected a number ≥ 0, got -1",
      "versions.v2.metrics.conversion.successes: 9 is more than count 5",
      "versions.v2.metrics.x: expected successes (a rate) or sum and sumSquares (a mean)",
    ]);
    expect((error as Error).message).toMatch(/^invalid observations in obs\.json: elapsedSeconds/);
  });

  it("rejects current weights that do not sum to 100", () => {
    const versions = { v1: { requests: 100, errors: 0 }, v2: { requests: 100, errors: 0 } };
    const problems = (currentWeights: Record<string, number>) => {
      try {
        parseObservations({ elapsedSeconds: 120, currentWeights, versions });
      } catch (e) {
        return (e as ObservationsError).problems;
      }
      return [];
    };
    expect(problems({ v1: 20, v2: 20 })).toEqual([
      "currentWeights: the weights sum to 40, expected 100",
    ]);
    expect(problems({ v1: 80, v2: 20, vX: 50 })).toEqual([
      "currentWeights: the weights sum to 150, expected 100",
    ]);
    expect(problems({ v1: 70, v2: 30 })).toEqual([]);
  });

  it("rejects a mean whose sum of squares no real values can give", () => {
    const doc = (sumSquares: number) => ({
      elapsedSeconds: 60,
      versions: {
        v1: { requests: 30, errors: 0, metrics: { basket: { count: 30, sum: 300, sumSquares } } },
      },
    });
    expect(() => parseObservations(doc(0))).toThrow(
      "versions.v1.metrics.basket.sumSquares (0) is less than sum²/count (3000)",
    );
    // constant data (sumSquares exactly sum²/count) is possible
    expect(parseObservations(doc(3000)).versions.v1?.metrics?.basket).toEqual({
      count: 30,
      sum: 300,
      sumSquares: 3000,
    });
  });

  it("rejects a document that is not an object", () => {
    expect(() => parseObservations([1, 2])).toThrow("invalid observations: expected a JSON object");
  });
});
