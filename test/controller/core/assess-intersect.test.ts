import { describe, expect, it } from "vitest";
import { analyze } from "../../../controller/src/core/analysis.js";
import { intersectIntervals } from "../../../controller/src/core/assess-intersect.js";
import { observations, spec } from "./scenario.js";

describe("intersecting intervals over looks", () => {
  it("keeps the tighter ends of both looks", () => {
    expect(
      intersectIntervals({ estimate: 5, lower: 2, upper: 9 }, { estimate: 4, lower: 3, upper: 10 }),
    ).toEqual({ estimate: 5, lower: 3, upper: 9 });
  });

  it("falls back to the current interval when the two do not overlap", () => {
    const current = { estimate: 0.02, lower: 0.015, upper: 0.025 };
    expect(intersectIntervals(current, { estimate: 0.002, lower: 0.001, upper: 0.004 })).toEqual(
      current,
    );
  });

  it("keeps a passed objective passed when a later look alone would be undecided", () => {
    const s = spec("Canary");
    // 1,000 requests without an error: error-rate ≤ 1% passes
    const first = analyze(s, observations({ v1: { requests: 1000 }, v2: { requests: 1000 } }, 30));
    expect(first.versions.v2?.objectives[1]?.status).toBe("pass");
    // 1,200 more with 10 errors: the cumulative 10 of 2,200 alone no longer proves ≤ 1%
    const later = {
      elapsedSeconds: 60,
      versions: { v1: { requests: 2200, errors: 0 }, v2: { requests: 2200, errors: 10 } },
    };
    const alone = analyze(s, later);
    expect(alone.versions.v2?.objectives[1]?.status).toBe("undecided");
    const carried = analyze(s, later, { previous: first });
    expect(carried.versions.v2?.objectives[1]?.status).toBe("pass");
    expect(carried.versions.v2?.objectives[1]?.value).toEqual({
      estimate: alone.versions.v2?.objectives[1]?.value?.estimate,
      lower: alone.versions.v2?.objectives[1]?.value?.lower,
      upper: first.versions.v2?.objectives[1]?.value?.upper,
    });
  });

  it("still fails a version whose errors clearly rise past the limit", () => {
    const s = spec("Canary");
    const first = analyze(
      s,
      observations({
        v1: { requests: 20000, errorRate: 0.002 },
        v2: { requests: 20000, errorRate: 0.002 },
      }),
    );
    const later = {
      elapsedSeconds: 600,
      versions: { v1: { requests: 40000, errors: 80 }, v2: { requests: 40000, errors: 1240 } },
    };
    expect(analyze(s, later, { previous: first }).versions.v2?.objectives[1]?.status).toBe("fail");
  });

  it("ignores the previous look when it was made at another α", () => {
    const first = analyze(
      spec("Canary"),
      observations({ v1: { requests: 1000 }, v2: { requests: 1000 } }, 30),
    );
    const later = {
      elapsedSeconds: 60,
      versions: { v1: { requests: 2200, errors: 0 }, v2: { requests: 2200, errors: 10 } },
    };
    const objectives = spec("Canary").criteria.objectives ?? [];
    const stricter = spec("Canary", { criteria: { confidence: 0.99, objectives } });
    expect(analyze(stricter, later, { previous: first }).versions.v2?.objectives[1]?.status).toBe(
      "undecided",
    );
  });
});
