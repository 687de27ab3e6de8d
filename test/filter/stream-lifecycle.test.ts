import { describe, expect, it } from "vitest";
import type { Emulator, HttpStream } from "../../sidecar/src/host/index.js";
import { fixture, startFilter } from "./harness.js";

// The end of a stream as some Envoys deliver it. `HttpStream.complete` follows today's Envoy
// (log, done, delete); older ones may log after the filter is destroyed and then never call
// proxy_on_delete, so these drive the guest's callbacks directly.
type Ending = "proxy_on_log" | "proxy_on_done" | "proxy_on_delete";

interface StreamInternals {
  ctx: { id: number };
  vm: { call(fn: string, ctx: unknown, ...args: number[]): number | undefined };
}

function end(stream: HttpStream, callbacks: Ending[]): void {
  const s = stream as unknown as StreamInternals;
  for (const fn of callbacks) s.vm.call(fn, s.ctx, s.ctx.id);
}

function request(emu: Emulator, i: number, callbacks: Ending[] | "complete"): string | undefined {
  const s = emu.stream();
  s.sendRequestHeaders(
    {
      ":authority": "checkout.shop.svc.cluster.local",
      "x-country": "wakanda",
      "x-user-id": `u${i}`,
    },
    true,
  );
  s.sendResponseHeaders({ ":status": "200" }, true);
  const decision = s.property("cohort.decision");
  if (callbacks === "complete") s.complete();
  else end(s, callbacks);
  return decision;
}

/** Linear memory after 2 000 warm-up streams and after 30 000 more, each ended by `callbacks`. */
function growth(callbacks: Ending[] | "complete"): { warm: number; after: number } {
  const emu = startFilter(fixture("three-experiments.json"));
  for (let i = 0; i < 2_000; i++) request(emu, i, callbacks);
  const warm = emu.memoryBytes();
  for (let i = 2_000; i < 32_000; i++) request(emu, i, callbacks);
  expect(emu.failed).toBe(false);
  return { warm, after: emu.memoryBytes() };
}

describe("stream lifecycle", () => {
  it("frees a stream ended by log, done and delete, as Envoy does today", () => {
    const { warm, after } = growth("complete");
    expect(after).toBe(warm);
  }, 60_000);

  it("frees a stream that gets proxy_on_log but never proxy_on_delete", () => {
    const { warm, after } = growth(["proxy_on_log"]);
    expect(after).toBe(warm);
  }, 60_000);

  it("frees a stream ended by delete before log, and tolerates the late log", () => {
    const { warm, after } = growth(["proxy_on_delete", "proxy_on_log", "proxy_on_done"]);
    expect(after).toBe(warm);
  }, 60_000);

  it("decides the same for a user whichever way the previous streams ended", () => {
    const a = startFilter(fixture("three-experiments.json"));
    const b = startFilter(fixture("three-experiments.json"));
    for (let i = 0; i < 300; i++) {
      expect(request(b, i, ["proxy_on_log"])).toEqual(request(a, i, "complete"));
    }
  });
});
