import { describe, expect, it } from "vitest";
import { decideWinner, type WinnerInput } from "../../../controller/src/core/winner.js";

/** `better` from a list of "a>b" pairs: a's reward is better than b's with confidence. */
function betterFrom(pairs: string[]): WinnerInput["better"] {
  return (a, b) => pairs.includes(`${a}>${b}`);
}

function input(over: Partial<WinnerInput>): WinnerInput {
  return {
    testingPattern: "AB",
    baseline: "v1",
    versions: ["v1", "v2"],
    validated: { v1: true, v2: true },
    better: betterFrom([]),
    final: false,
    ...over,
  };
}

describe("winner rules", () => {
  it("A/B: the validated candidate whose reward is better with confidence wins", () => {
    const d = decideWinner(input({ better: betterFrom(["v2>v1"]) }));
    expect(d.winner).toBe("v2");
    expect(d.recommended).toBe("v2");
    expect(d.reason).toContain("better with confidence than v1");
  });

  it("A/B: the baseline wins when its reward is better with confidence", () => {
    expect(decideWinner(input({ better: betterFrom(["v1>v2"]) })).winner).toBe("v1");
  });

  it("A/B: without a significant difference there is no winner yet and the baseline is recommended", () => {
    const d = decideWinner(input({}));
    expect(d.winner).toBeNull();
    expect(d.recommended).toBe("v1");
    expect(d.reason).toMatch(/^No winner yet/);
  });

  it("A/B: at the end without a significant difference there is no winner and the baseline is recommended", () => {
    const d = decideWinner(input({ final: true }));
    expect(d.winner).toBeNull();
    expect(d.recommended).toBe("v1");
    expect(d.reason).toContain("at the end of the experiment");
  });

  it("A/B: a better reward does not make a version that fails its objectives the winner", () => {
    const d = decideWinner(
      input({ validated: { v1: true, v2: false }, better: betterFrom(["v2>v1"]) }),
    );
    expect(d.winner).toBe("v1");
  });

  it("A/B: a better version that is not validated yet does not win yet", () => {
    const d = decideWinner(
      input({ validated: { v1: true, v2: null }, better: betterFrom(["v2>v1"]) }),
    );
    expect(d.winner).toBeNull();
  });

  it("A/B: a validated version must also beat a rival that is still undecided", () => {
    expect(
      decideWinner(input({ validated: { v1: null, v2: true }, better: betterFrom([]) })).winner,
    ).toBeNull();
    expect(
      decideWinner(input({ validated: { v1: null, v2: true }, better: betterFrom(["v2>v1"]) }))
        .winner,
    ).toBe("v2");
  });

  it("A/B/n: the best validated version must beat every other contender", () => {
    const base = {
      testingPattern: "ABN" as const,
      versions: ["v1", "v2", "v3", "v4"],
      validated: { v1: true, v2: true, v3: true, v4: true },
    };
    expect(
      decideWinner(input({ ...base, better: betterFrom(["v3>v1", "v3>v2"]) })).winner,
    ).toBeNull();
    expect(
      decideWinner(input({ ...base, better: betterFrom(["v3>v1", "v3>v2", "v3>v4"]) })).winner,
    ).toBe("v3");
  });

  it("A/B/n: versions that fail their objectives are not contenders", () => {
    const d = decideWinner(
      input({
        testingPattern: "ABN",
        versions: ["v1", "v2", "v3"],
        validated: { v1: true, v2: false, v3: true },
        better: betterFrom(["v3>v1", "v2>v3"]),
      }),
    );
    expect(d.winner).toBe("v3");
  });

  it("A/B/n: at the end, a version still undecided must still be beaten with confidence", () => {
    const over = {
      testingPattern: "ABN" as const,
      versions: ["v1", "v2", "v3"],
      validated: { v1: true, v2: null, v3: true },
      better: betterFrom(["v3>v1"]),
    };
    expect(decideWinner(input(over)).winner).toBeNull();
    const end = decideWinner(input({ ...over, final: true }));
    expect(end.winner).toBeNull();
    expect(end.recommended).toBe("v1");
    expect(
      decideWinner(input({ ...over, better: betterFrom(["v3>v1", "v3>v2"]), final: true })).winner,
    ).toBe("v3");
  });

  it("A/B: at the end, a validated candidate does not win over an undecided baseline without a better reward", () => {
    const d = decideWinner(input({ validated: { v1: null, v2: true }, final: true }));
    expect(d.winner).toBeNull();
    expect(d.recommended).toBe("v1");
    expect(d.reason).toContain("at the end of the experiment");
  });

  it("A/B: a validated version whose every rival fails wins, and the reason says they fail", () => {
    const d = decideWinner(input({ validated: { v1: false, v2: true }, final: true }));
    expect(d.winner).toBe("v2");
    expect(d.reason).toBe("v2 is validated and every other version fails an objective.");
  });

  it("A/B/n: when no version is validated there is no winner", () => {
    const d = decideWinner(
      input({
        testingPattern: "ABN",
        versions: ["v1", "v2", "v3"],
        validated: { v1: false, v2: false, v3: false },
      }),
    );
    expect(d.winner).toBeNull();
    expect(d.recommended).toBe("v1");
  });

  it("Canary: the candidate wins as soon as it is validated", () => {
    const d = decideWinner(input({ testingPattern: "Canary", validated: { v1: null, v2: true } }));
    expect(d.winner).toBe("v2");
  });

  it("Canary: a failing candidate makes the validated baseline the winner", () => {
    const d = decideWinner(input({ testingPattern: "Canary", validated: { v1: true, v2: false } }));
    expect(d.winner).toBe("v1");
    expect(d.reason).toContain("fails an objective");
  });

  it("Canary: a failing candidate and an undecided baseline give no winner yet", () => {
    const d = decideWinner(input({ testingPattern: "Canary", validated: { v1: null, v2: false } }));
    expect(d.winner).toBeNull();
    expect(d.reason).toMatch(/^No winner yet/);
  });

  it("Canary: an undecided candidate is no winner before the end, and loses to a validated baseline at the end", () => {
    const over = { testingPattern: "Canary" as const, validated: { v1: true, v2: null } };
    expect(decideWinner(input(over)).winner).toBeNull();
    expect(decideWinner(input({ ...over, final: true })).winner).toBe("v1");
  });

  it("Canary: the reward plays no part", () => {
    const d = decideWinner(
      input({
        testingPattern: "Canary",
        validated: { v1: true, v2: true },
        better: betterFrom(["v1>v2"]),
      }),
    );
    expect(d.winner).toBe("v2");
  });

  it("Conformance: the baseline wins when validated and nothing wins otherwise", () => {
    const c = { testingPattern: "Conformance" as const, versions: ["v1"] };
    expect(decideWinner(input({ ...c, validated: { v1: true } })).winner).toBe("v1");
    expect(decideWinner(input({ ...c, validated: { v1: null } })).winner).toBeNull();
    const failed = decideWinner(input({ ...c, validated: { v1: false } }));
    expect(failed.winner).toBeNull();
    expect(failed.recommended).toBe("v1");
  });
});
