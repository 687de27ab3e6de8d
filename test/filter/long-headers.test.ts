import { describe, expect, it } from "vitest";
import { send, startFilter } from "./harness.js";

// Envoy admits request headers up to 60 KiB by default; the filter reads at most 4 KiB of a
// segment or sticky-key value (MAX_VALUE_BYTES in filter/src/abi/request-headers.ts).
const HOST = "shop.example";
const LIMIT = 4096;
const OVERSIZED = "cohort_experiment=.=e;.;cohort_oversized_values_total";

/** One experiment keyed on x-user-id whose segment has `leaves` prefix conditions on it. */
function config(leaves: number, source: "header" | "cookie" = "header") {
  const leaf = source === "header" ? { header: "x-user-id" } : { cookie: "uid" };
  return {
    experiments: [
      {
        name: "e",
        hosts: [HOST],
        baseline: "v1",
        stickyKey: [source === "header" ? "header:x-user-id" : "cookie:uid"],
        segment: { all: Array.from({ length: leaves }, () => ({ ...leaf, prefix: "a" })) },
        versions: [
          { name: "v1", weight: 50 },
          { name: "v2", weight: 50 },
        ],
      },
    ],
  };
}

describe("long header values", () => {
  for (const leaves of [1, 24]) {
    it(`keeps linear memory under 4 MiB with a 60 KB sticky header and ${leaves} segment leaves on it`, () => {
      const emu = startFilter(config(leaves));
      const big = "a".repeat(60_000);
      for (let i = 0; i < 3_000; i++) {
        send(emu, { ":authority": HOST, "x-user-id": `${big}${i}`, "x-request-id": `r${i}` });
      }
      expect(emu.failed).toBe(false);
      expect(emu.memoryBytes()).toBeLessThanOrEqual(4 * 1024 * 1024);
    }, 60_000);
  }

  it("keeps linear memory under 4 MiB when every leaf reads a value just under the limit", () => {
    const emu = startFilter(config(24));
    const long = "a".repeat(LIMIT - 8);
    for (let i = 0; i < 3_000; i++) {
      send(emu, { ":authority": HOST, "x-user-id": `${long}${i}` });
    }
    expect(emu.failed).toBe(false);
    expect(emu.memoryBytes()).toBeLessThanOrEqual(4 * 1024 * 1024);
  }, 60_000);

  it("treats a header value over 4 KiB as absent and counts it once per request", () => {
    const emu = startFilter(config(3));
    const over = send(emu, { ":authority": HOST, "x-user-id": "a".repeat(LIMIT + 1) });
    expect(over.decision.reason).toBe("outside-segment");
    expect(emu.counter(OVERSIZED)).toBe(1);
    const at = send(emu, { ":authority": HOST, "x-user-id": "a".repeat(LIMIT) });
    expect(at.decision.reason).toBe("split");
    expect(emu.counter(OVERSIZED)).toBe(1);
  });

  it("treats a cookie value over 4 KiB as absent, even in a later cookie header", () => {
    const emu = startFilter(config(2, "cookie"));
    const over = send(emu, {
      ":authority": HOST,
      cookie: `x=1; uid=${"a".repeat(LIMIT + 1)}; y=2`,
    });
    expect(over.decision.reason).toBe("outside-segment");
    expect(emu.counter(OVERSIZED)).toBe(1);
    const later = send(emu, [
      [":authority", HOST],
      ["cookie", "x=1"],
      ["cookie", `uid=${"a".repeat(LIMIT + 1)}`],
    ]);
    expect(later.decision.reason).toBe("outside-segment");
    expect(emu.counter(OVERSIZED)).toBe(2);
    const fine = send(emu, { ":authority": HOST, cookie: `x=1; uid=${"a".repeat(LIMIT)}` });
    expect(fine.decision.reason).toBe("split");
  });

  it("splits a normal user the same way whatever the number of leaves reading the key", () => {
    const one = startFilter(config(1));
    const many = startFilter(config(24));
    for (let i = 0; i < 200; i++) {
      const h = { ":authority": HOST, "x-user-id": `alice-${i}` };
      expect(send(many, h).decision).toEqual(send(one, h).decision);
    }
  });
});
