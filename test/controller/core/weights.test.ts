import { describe, expect, it } from "vitest";
import { nextWeights, type WeightsInput } from "../../../controller/src/core/weights.js";

function input(over: Partial<WeightsInput>): WeightsInput {
  return {
    testingPattern: "Canary",
    deploymentPattern: "Progressive",
    baseline: "v1",
    versions: ["v1", "v2"],
    previous: { v1: 100, v2: 0 },
    failed: new Set(),
    winner: null,
    maxCandidateWeight: 100,
    maxCandidateWeightIncrement: 10,
    ...over,
  };
}

const sum = (w: Record<string, number>) => Object.values(w).reduce((a, b) => a + b, 0);

describe("nextWeights", () => {
  it("Progressive Canary ramps the candidate up by at most the increment per iteration", () => {
    let w: Record<string, number> = { v1: 100, v2: 0 };
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      w = nextWeights(input({ previous: w }));
      seen.push(w.v2 ?? -1);
    }
    expect(seen).toEqual([10, 20, 30, 40]);
    expect(w).toEqual({ v1: 60, v2: 40 });
  });

  it("never gives a candidate more than maxCandidateWeight", () => {
    let w: Record<string, number> = { v1: 100, v2: 0 };
    for (let i = 0; i < 10; i++)
      w = nextWeights(input({ previous: w, maxCandidateWeight: 35, winner: "v2" }));
    expect(w).toEqual({ v1: 65, v2: 35 });
  });

  it("moves all traffic to a winning baseline at once", () => {
    expect(nextWeights(input({ previous: { v1: 40, v2: 60 }, winner: "v1" }))).toEqual({
      v1: 100,
      v2: 0,
    });
  });

  it("drops a candidate that fails an objective to 0 at once", () => {
    const w = nextWeights(input({ previous: { v1: 30, v2: 70 }, failed: new Set(["v2"]) }));
    expect(w).toEqual({ v1: 100, v2: 0 });
  });

  it("never drops the baseline, even when it fails: it is where traffic goes back to", () => {
    const w = nextWeights(input({ previous: { v1: 100, v2: 0 }, failed: new Set(["v1", "v2"]) }));
    expect(w).toEqual({ v1: 100, v2: 0 });
  });

  it("FixedSplit never moves the weights, whoever is winning", () => {
    const fixed = { deploymentPattern: "FixedSplit" as const, previous: { v1: 50, v2: 50 } };
    expect(nextWeights(input(fixed))).toEqual({ v1: 50, v2: 50 });
    expect(nextWeights(input({ ...fixed, winner: "v2" }))).toEqual({ v1: 50, v2: 50 });
    expect(nextWeights(input({ ...fixed, maxCandidateWeight: 20 }))).toEqual({ v1: 50, v2: 50 });
  });

  it("FixedSplit still rolls back a candidate that fails an objective", () => {
    const w = nextWeights(
      input({
        deploymentPattern: "FixedSplit",
        previous: { v1: 50, v2: 50 },
        failed: new Set(["v2"]),
      }),
    );
    expect(w).toEqual({ v1: 100, v2: 0 });
  });

  it("Conformance puts all traffic on the baseline", () => {
    expect(
      nextWeights(input({ testingPattern: "Conformance", versions: ["v1"], previous: { v1: 30 } })),
    ).toEqual({ v1: 100 });
  });

  it("A/B/n keeps an equal split among the contenders, whoever leads, until there is a winner", () => {
    const previous = { v1: 25, v2: 25, v3: 25, v4: 25 };
    const w = nextWeights(
      input({ testingPattern: "ABN", versions: ["v1", "v2", "v3", "v4"], previous }),
    );
    expect(w).toEqual(previous);
  });

  it("A/B/n shares a version's weight equally among the rest when it leaves the race, within the increment", () => {
    const race = (over: Partial<WeightsInput>) =>
      nextWeights(
        input({
          testingPattern: "ABN",
          versions: ["v1", "v2", "v3", "v4"],
          previous: { v1: 25, v2: 25, v3: 25, v4: 25 },
          contenders: ["v1", "v3", "v4"],
          ...over,
        }),
      );
    // ⌊100/3⌋ = 33 each; the point left over goes to v2 (confidently worse, out of the race)
    // rather than to the baseline, whose 34:33 would break its pairs' 1:1
    expect(race({})).toEqual({ v1: 33, v2: 1, v3: 33, v4: 33 });
    // the survivors rise by 5 at most, all to the same weight; v2 drains as fast as they absorb
    expect(race({ maxCandidateWeightIncrement: 5 })).toEqual({ v1: 30, v2: 10, v3: 30, v4: 30 });
    // a failing version gets 0 at once, whatever the pace: the rest goes to the baseline
    expect(race({ maxCandidateWeightIncrement: 5, failed: new Set(["v2"]) })).toEqual({
      v1: 40,
      v2: 0,
      v3: 30,
      v4: 30,
    });
  });

  it("A/B keeps its even split while no winner is known, and within maxCandidateWeight", () => {
    const even = nextWeights(input({ testingPattern: "AB", previous: { v1: 50, v2: 50 } }));
    expect(even).toEqual({ v1: 50, v2: 50 });
    const capped = nextWeights(
      input({ testingPattern: "AB", previous: { v1: 70, v2: 30 }, maxCandidateWeight: 30 }),
    );
    expect(capped).toEqual({ v1: 70, v2: 30 });
  });

  it("A/B/n sends a failing candidate's traffic elsewhere at once", () => {
    const w = nextWeights(
      input({
        testingPattern: "ABN",
        versions: ["v1", "v2", "v3"],
        previous: { v1: 34, v2: 33, v3: 33 },
        failed: new Set(["v2"]),
      }),
    );
    expect(w.v2).toBe(0);
    expect(w).toEqual({ v1: 57, v2: 0, v3: 43 });
  });

  it("always returns integers summing to 100 within the caps", () => {
    const races = [["v1", "v2", "v3", "v4"], ["v2", "v3", "v4"], ["v1", "v3"], ["v4"]];
    let w: Record<string, number> = { v1: 70, v2: 10, v3: 10, v4: 10 };
    for (let i = 0; i < 20; i++) {
      const prev = w;
      w = nextWeights(
        input({
          testingPattern: "ABN",
          versions: ["v1", "v2", "v3", "v4"],
          previous: prev,
          contenders: races[i % races.length] ?? [],
          maxCandidateWeight: 40,
          maxCandidateWeightIncrement: 7,
        }),
      );
      expect(sum(w)).toBe(100);
      for (const v of ["v2", "v3", "v4"]) {
        expect(Number.isInteger(w[v])).toBe(true);
        expect(w[v]).toBeLessThanOrEqual(40);
        expect((w[v] ?? 0) - (prev[v] ?? 0)).toBeLessThanOrEqual(7);
      }
    }
  });

  it("keeps a held Canary candidate at its weight instead of adding the increment", () => {
    expect(nextWeights(input({ held: new Set(["v2"]), previous: { v1: 80, v2: 20 } }))).toEqual({
      v1: 80,
      v2: 20,
    });
    expect(nextWeights(input({ previous: { v1: 80, v2: 20 } }))).toEqual({ v1: 70, v2: 30 });
  });

  it("still rolls a held candidate back when it fails, and moves to a winner at once", () => {
    const held = new Set(["v2"]);
    expect(
      nextWeights(input({ held, previous: { v1: 80, v2: 20 }, failed: new Set(["v2"]) })),
    ).toEqual({ v1: 100, v2: 0 });
    expect(
      nextWeights(
        input({
          held,
          previous: { v1: 80, v2: 20 },
          winner: "v2",
          maxCandidateWeightIncrement: 100,
        }),
      ),
    ).toEqual({
      v1: 0,
      v2: 100,
    });
  });
});
