import { describe, expect, it } from "vitest";
import type { Emulator } from "../../sidecar/src/host/index.js";
import { startFilter } from "./harness.js";

const HOST = "checkout.shop.svc.cluster.local";
const CONFIG = {
  experiments: [
    {
      name: "checkout",
      hosts: [HOST],
      segment: { header: "x-country", exact: "wakanda" },
      stickyKey: ["header:x-user-id"],
      baseline: "v1",
      versions: [
        { name: "v1", weight: 0 },
        { name: "v2", weight: 1 },
      ],
      mirror: { version: "v3", percent: 100 },
    },
  ],
};

/** One request of a participant that answers `status` after `ms` milliseconds. */
function timed(emu: Emulator, status: string, ms: number, country = "wakanda"): void {
  const s = emu.stream();
  s.sendRequestHeaders({ ":authority": HOST, "x-country": country, "x-user-id": "u-1" }, true);
  emu.clock.advance(ms);
  s.sendResponseHeaders({ ":status": status }, true);
  s.complete();
}

function scenario(extraStatTags?: string[]): Emulator {
  const emu = startFilter(CONFIG, extraStatTags ? { extraStatTags } : {});
  timed(emu, "200", 12);
  timed(emu, "200", 3);
  timed(emu, "503", 40);
  timed(emu, "404", 7);
  timed(emu, "200", 20, "genovia");
  const other = emu.stream();
  other.sendRequestHeaders({ ":authority": "cart.shop.svc.cluster.local" }, true);
  other.complete();
  return emu;
}

const tags = (version: string, extra = "") =>
  `cohort_experiment=.=checkout;.;cohort_version=.=${version};.;${extra}`;

describe("metrics", () => {
  const emu = scenario();

  it("counts requests per version and reason, and responses of the sample by status class", () => {
    expect(emu.counter(`${tags("v2", "cohort_reason=.=split;.;")}cohort_requests_total`)).toBe(4);
    expect(
      emu.counter(`${tags("v1", "cohort_reason=.=outside-segment;.;")}cohort_requests_total`),
    ).toBe(1);
    const responses = (cls: string) =>
      emu.counter(`${tags("v2", `cohort_status_class=.=${cls};.;`)}cohort_responses_total`);
    expect([responses("2xx"), responses("4xx"), responses("5xx")]).toEqual([2, 1, 1]);
    expect(emu.counter(`${tags("v1", "cohort_status_class=.=2xx;.;")}cohort_responses_total`)).toBe(
      0,
    );
    expect(emu.counter(`${tags("v3")}cohort_mirrored_requests_total`)).toBe(4);
    expect(emu.counter("cohort_unmatched_requests_total")).toBe(1);
    expect(emu.counter("cohort_experiment=.=checkout;.;cohort_fallbacks_total")).toBe(0);
  });

  it("records the duration from request start to response headers in milliseconds", () => {
    const h = emu.histogram(`${tags("v2")}cohort_request_duration_ms`);
    expect(h?.count).toBe(4);
    expect(h?.sum).toBe(12 + 3 + 40 + 7);
    expect(h?.buckets.find((b) => b.le === 10)?.count).toBe(2);
    expect(emu.histogram(`${tags("v1")}cohort_request_duration_ms`)?.count).toBe(0);
  });

  it("renders as labelled Prometheus series when the mesh lists the cohort tags", () => {
    const text = emu.prometheus();
    for (const line of [
      'cohort_requests_total{cohort_experiment="checkout",cohort_version="v2",cohort_reason="split"} 4',
      'cohort_requests_total{cohort_experiment="checkout",cohort_version="v1",cohort_reason="outside-segment"} 1',
      'cohort_responses_total{cohort_experiment="checkout",cohort_version="v2",cohort_status_class="5xx"} 1',
      'cohort_mirrored_requests_total{cohort_experiment="checkout",cohort_version="v3"} 4',
      'cohort_request_duration_ms_count{cohort_experiment="checkout",cohort_version="v2"} 4',
      'cohort_request_duration_ms_sum{cohort_experiment="checkout",cohort_version="v2"} 62',
      'cohort_request_duration_ms_bucket{cohort_experiment="checkout",cohort_version="v2",le="25"} 3',
      'cohort_fallbacks_total{cohort_experiment="checkout"} 0',
    ]) {
      expect(text.split("\n")).toContain(line);
    }
  });

  it("renders no cohort labels when the mesh does not list the tags", () => {
    const text = scenario([]).prometheus();
    expect(text).not.toContain('cohort_version="v2"');
    expect(text).toContain("checkout");
  });
});
