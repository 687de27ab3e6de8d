import { describe, expect, it } from "vitest";
import { fixture, send, startFilter } from "./harness.js";

// checkout.json: participants are x-country=wakanda; versions v1 90 / v2 10; mirror v3 25 %.
const HOST = "checkout.shop.svc.cluster.local";
const emu = startFilter(fixture("checkout.json"));
const participant = (user: string) =>
  send(emu, { ":authority": HOST, "x-country": "wakanda", "x-user-id": user });

describe("mirroring", () => {
  const USERS = 20_000;
  const outcomes = Array.from({ length: USERS }, (_, i) => participant(`shopper-${i}`));

  it("marks `percent` of participants with the mirror header, within ±1 point", () => {
    const mirrored = outcomes.filter((o) => o.headers["x-cohort-mirror"] === "v3").length;
    expect(Math.abs(mirrored / USERS - 0.25)).toBeLessThanOrEqual(0.01);
  });

  it("samples independently of the split: each version's users are mirrored at the same rate", () => {
    for (const version of ["v1", "v2"]) {
      const users = outcomes.filter((o) => o.decision.version === version);
      const rate = users.filter((o) => o.decision.mirror === "v3").length / users.length;
      // v2 has ~2000 users: the standard error of 25 % is ~1 point, so allow 3.
      expect(Math.abs(rate - 0.25), version).toBeLessThanOrEqual(0.03);
    }
  });

  it("is sticky per user and routes the mirrored copy to the dark version", () => {
    for (let i = 0; i < 500; i++) {
      const again = participant(`shopper-${i}`);
      expect(again.decision).toEqual(outcomes[i]?.decision);
      if (again.decision.mirror === "v3") {
        expect(again.mirrorCluster).toBe("v3");
        expect(again.cluster).toBe(again.decision.version);
      } else {
        expect(again.mirrorCluster).toBeUndefined();
      }
    }
  });

  it("never mirrors requests outside the segment", () => {
    for (let i = 0; i < 500; i++) {
      const out = send(emu, { ":authority": HOST, "x-country": "genovia", "x-user-id": `s-${i}` });
      expect(out.decision.mirror).toBeNull();
      expect(out.headers["x-cohort-mirror"]).toBeUndefined();
    }
  });

  it("counts every mirrored request", () => {
    const fresh = startFilter(fixture("checkout.json"));
    let marked = 0;
    for (let i = 0; i < 1000; i++) {
      const out = send(fresh, {
        ":authority": HOST,
        "x-country": "wakanda",
        "x-user-id": `m-${i}`,
      });
      if (out.decision.mirror !== null) marked++;
    }
    expect(
      fresh.counter(
        "cohort_experiment=.=checkout;.;cohort_version=.=v3;.;cohort_mirrored_requests_total",
      ),
    ).toBe(marked);
  });
});
