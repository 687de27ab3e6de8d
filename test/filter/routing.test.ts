import { describe, expect, it } from "vitest";
import { fixture, send, startFilter } from "./harness.js";

const HOST = "checkout.shop.svc.cluster.local";
const ALL_TO_V2 = {
  experiments: [
    {
      name: "checkout",
      hosts: [HOST],
      stickyKey: ["header:x-user-id"],
      baseline: "v1",
      versions: [
        { name: "v1", weight: 0 },
        { name: "v2", weight: 1 },
      ],
      mirror: { version: "v3", percent: 0 },
    },
  ],
};

describe("routing", () => {
  it("sets the routing header to the version, records the decision and routes to it", () => {
    const emu = startFilter(ALL_TO_V2);
    const out = send(emu, { ":authority": HOST, "x-user-id": "u1" });
    expect(out.headers["x-cohort-version"]).toBe("v2");
    expect(out.decision).toEqual({
      experiment: "checkout",
      version: "v2",
      mirror: null,
      reason: "split",
    });
    expect(out.cluster).toBe("v2");
  });

  it("re-routes through clear_route_cache on an Envoy that no longer clears it on header changes", () => {
    const emu = startFilter(ALL_TO_V2, { headerChangeClearsRouteCache: false });
    expect(send(emu, { ":authority": HOST, "x-user-id": "u1" }).cluster).toBe("v2");
  });

  it("still routes on an older Envoy that answers clear_route_cache with NotFound", () => {
    const emu = startFilter(ALL_TO_V2, { clearRouteCache: "not-found" });
    const s = emu.stream();
    s.sendRequestHeaders({ ":authority": HOST, "x-user-id": "u1" }, true);
    expect(s.route?.cluster).toBe("v2");
    expect(emu.failed).toBe(false);
  });

  it("removes routing and mirror headers a client sent, on experiment hosts and elsewhere", () => {
    const emu = startFilter(fixture("checkout.json"));
    const spoofed = { "x-cohort-version": "v2", "x-cohort-mirror": "v3" };
    const outside = send(emu, { ":authority": HOST, "x-country": "latveria", ...spoofed });
    expect(outside.headers["x-cohort-version"]).toBe("v1");
    expect(outside.headers["x-cohort-mirror"]).toBeUndefined();
    expect(outside.cluster).toBe("v1");
    expect(outside.mirrorCluster).toBeUndefined();
    const elsewhere = send(emu, { ":authority": "cart.shop.svc.cluster.local", ...spoofed });
    expect(elsewhere.headers["x-cohort-version"]).toBeUndefined();
    expect(elsewhere.headers["x-cohort-mirror"]).toBeUndefined();
    expect(elsewhere.cluster).toBe("default");
    expect(elsewhere.decision).toEqual({
      experiment: null,
      version: null,
      mirror: null,
      reason: "no-match",
    });
  });

  it("sends a request without any sticky key or x-request-id to the baseline as no-key", () => {
    const emu = startFilter(ALL_TO_V2);
    expect(send(emu, { ":authority": HOST }).decision).toEqual({
      experiment: "checkout",
      version: "v1",
      mirror: null,
      reason: "no-key",
    });
  });

  it("falls back to x-request-id when no sticky key is present", () => {
    const emu = startFilter(ALL_TO_V2);
    const out = send(emu, { ":authority": HOST, "x-request-id": "5f1c" });
    expect(out.decision.reason).toBe("split");
    expect(out.decision.version).toBe("v2");
  });
});

describe("the QA override", () => {
  // override.json: header x-cohort-force, versions ["v2"] (weight 0), token qa-7f3c9a1e5b2d4068
  // whose SHA-256 the config holds (node -e "crypto.createHash('sha256').update(t).digest('hex')").
  const TOKEN = "qa-7f3c9a1e5b2d4068";
  const emu = startFilter(fixture("override.json"));
  const request = (force: string) =>
    send(emu, { ":authority": HOST, "x-user-id": "qa-1", "x-cohort-force": force });

  it("routes to an allowed version with the right token and strips the header", () => {
    const out = request(`v2:${TOKEN}`);
    expect(out.decision).toEqual({
      experiment: "checkout",
      version: "v2",
      mirror: null,
      reason: "override",
    });
    expect(out.cluster).toBe("v2");
    expect(out.headers["x-cohort-force"]).toBeUndefined();
  });

  it.each([
    ["a wrong token", "v2:qa-guess"],
    ["a version the override does not allow", `v1:${TOKEN}`],
    ["no token", "v2"],
    ["an empty token", "v2:"],
  ])("ignores %s, strips the header and counts the attempt", (_what, value) => {
    const rejected = "cohort_experiment=.=checkout;.;cohort_override_rejected_total";
    const before = emu.counter(rejected) ?? 0;
    const out = request(value);
    expect(out.decision.reason).toBe("split");
    expect(out.decision.version).toBe("v1");
    expect(out.headers["x-cohort-force"]).toBeUndefined();
    expect(emu.counter(rejected)).toBe(before + 1);
  });
});

describe("fallback", () => {
  it("routes a request whose headers cannot be read to the default route and counts a fallback", () => {
    const emu = startFilter(fixture("checkout.json"));
    const s = emu.stream();
    s.sendRequestHeaders([], true);
    expect(JSON.parse(s.property("cohort.decision") ?? "null")).toEqual({
      experiment: null,
      version: null,
      mirror: null,
      reason: "fallback",
    });
    expect(s.route?.cluster).toBe("default");
    s.complete();
    expect(emu.counter("cohort_experiment=.=_;.;cohort_fallbacks_total")).toBe(1);
    expect(emu.failed).toBe(false);
  });
});

describe("stripped headers", () => {
  it("are absent for the segment too, so a spoofed routing header cannot buy participation", () => {
    const experiment = {
      name: "checkout",
      segment: { header: "x-cohort-version", present: true },
      baseline: "v1",
      versions: [
        { name: "v1", weight: 0 },
        { name: "v2", weight: 1 },
      ],
    };
    const emu = startFilter({ experiments: [experiment] });
    const out = send(emu, { ":authority": HOST, "x-request-id": "r", "x-cohort-version": "v2" });
    expect(out.decision.reason).toBe("outside-segment");
    expect(out.cluster).toBe("v1");
  });
});
