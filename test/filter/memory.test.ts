import { describe, expect, it } from "vitest";
import { fixture, send, startFilter } from "./harness.js";

describe("memory", () => {
  it("keeps the filter's linear memory flat after warm-up", () => {
    const emu = startFilter(fixture("three-experiments.json"));
    const request = (i: number) => ({
      ":authority": "checkout.shop.svc.cluster.local",
      "x-country": "wakanda",
      "x-user-id": `user-${i}`,
      cookie: `theme=dark; uid=user-${i}`,
      "x-request-id": `req-${i}`,
      "x-cohort-version": "v2",
    });
    for (let i = 0; i < 2_000; i++) send(emu, request(i));
    const warm = emu.memoryBytes();
    for (let i = 2_000; i < 20_000; i++) send(emu, request(i));
    expect(emu.memoryBytes()).toBe(warm);
  }, 60_000);
});
