import { describe, expect, it } from "vitest";
import { fixture, send, startFilter } from "./harness.js";

const HOST = "shop.example.com";

/**
 * segments.json: participants are (country wakanda/genovia AND a `beta` cookie) OR a CohortQA
 * user agent OR (staff-* user AND x-debug present) OR an @example.com e-mail.
 */
const emu = startFilter(fixture("segments.json"));

function reasonFor(headers: Record<string, string>): string {
  return send(emu, { ":authority": HOST, "x-request-id": "r-1", ...headers }).decision.reason;
}

describe("segmentation", () => {
  it.each([
    ["oneOf + present cookie", { "x-country": "genovia", cookie: "theme=dark; beta=1" }, "split"],
    ["oneOf without the cookie", { "x-country": "genovia" }, "outside-segment"],
    [
      "cookie without a listed country",
      { "x-country": "latveria", cookie: "beta=1" },
      "outside-segment",
    ],
    [
      "oneOf is exact, not a prefix",
      { "x-country": "wakandan", cookie: "beta=1" },
      "outside-segment",
    ],
    [
      "a cookie name that only ends like beta",
      { "x-country": "wakanda", cookie: "notbeta=1" },
      "outside-segment",
    ],
    ["contains", { "user-agent": "Mozilla/5.0 CohortQA/1.2" }, "split"],
    ["contains is case-sensitive", { "user-agent": "cohortqa" }, "outside-segment"],
    ["prefix with not-absent", { "x-user-id": "staff-42", "x-debug": "1" }, "split"],
    ["prefix when not-absent fails", { "x-user-id": "staff-42" }, "outside-segment"],
    [
      "prefix that does not match",
      { "x-user-id": "guest-staff-42", "x-debug": "1" },
      "outside-segment",
    ],
    ["suffix", { "x-email": "ada@example.com" }, "split"],
    ["suffix that does not match", { "x-email": "ada@example.com.evil" }, "outside-segment"],
    ["no header at all", {}, "outside-segment"],
  ])("%s → %s", (_case, headers, reason) => {
    expect(reasonFor(headers)).toBe(reason);
  });

  it("sends requests outside the segment to the baseline and marks no participation", () => {
    expect(send(emu, { ":authority": HOST, "x-country": "latveria" }).decision).toEqual({
      experiment: "beta-users",
      version: "v1",
      mirror: null,
      reason: "outside-segment",
    });
  });

  it("matches hosts ignoring the port and case, and subdomains only through *.", () => {
    const take = (authority: string) => send(emu, { ":authority": authority }).decision.experiment;
    expect(take("shop.example.com:8443")).toBe("beta-users");
    expect(take("Shop.Example.COM")).toBe("beta-users");
    expect(take("eu.shop.example.com")).toBe("beta-users");
    expect(take("myshop.example.com")).toBeNull();
    expect(take("example.com")).toBeNull();
  });

  it("evaluates exact conditions and treats a missing header as no match", () => {
    const checkout = startFilter(fixture("checkout.json"));
    const host = "checkout.shop.svc.cluster.local";
    const reason = (h: Record<string, string>) =>
      send(checkout, { ":authority": host, "x-user-id": "u1", ...h }).decision.reason;
    expect(reason({ "x-country": "wakanda" })).toBe("split");
    expect(reason({ "x-country": "Wakanda" })).toBe("outside-segment");
    expect(reason({})).toBe("outside-segment");
  });

  it("lets the first experiment whose hosts match take the request; no hosts means any host", () => {
    const catchAll = { name: "everyone", baseline: "a", versions: [{ name: "a", weight: 1 }] };
    const specific = { ...catchAll, name: "specific", hosts: ["api.example.com"] };
    const first = startFilter({ experiments: [specific, catchAll] });
    expect(send(first, { ":authority": "api.example.com" }).decision.experiment).toBe("specific");
    expect(send(first, { ":authority": "web.example.com" }).decision.experiment).toBe("everyone");
    const shadowed = startFilter({ experiments: [catchAll, specific] });
    expect(send(shadowed, { ":authority": "api.example.com" }).decision.experiment).toBe(
      "everyone",
    );
  });
});
