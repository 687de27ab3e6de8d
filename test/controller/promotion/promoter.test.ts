import { describe, expect, it } from "vitest";
import type { PromotionResult } from "../../../controller/src/promotion/index.js";
import { createPromoter, forController } from "../../../controller/src/promotion/index.js";
import { subject } from "./subject.js";
import { toolDoubles } from "./tool-double.js";

const clock = () => new Date("2026-11-26T06:00:00Z");

describe("the promoter", () => {
  it("returns a marker on success and does nothing, saying so, when that marker is handed back", async () => {
    const tools = await toolDoubles({ promote: {} });
    const experiment = subject({
      kind: "command",
      command: { args: [`${tools.dir}/promote`, "{{ version }}"] },
    });
    const promoter = createPromoter({ now: clock });
    const first = await promoter.promote({ experiment, version: "v2" });
    expect(first.marker).toEqual({
      id: "shop/checkout/promote-v2",
      version: "v2",
      kind: "command",
      at: "2026-11-26T06:00:00.000Z",
    });
    const again = await promoter.promote({ experiment, version: "v2", recorded: first.marker });
    expect(again).toEqual({
      kind: "command",
      version: "v2",
      outcome: "already-promoted",
      message:
        "v2 was already promoted (shop/checkout/promote-v2 at 2026-11-26T06:00:00.000Z); nothing done.",
      steps: [],
    });
    expect((await tools.calls("promote")).length).toBe(1);
  });

  it("promotes again when the recorded marker is for another promotion id", async () => {
    const tools = await toolDoubles({ promote: {} });
    const experiment = subject({ kind: "command", command: { args: [`${tools.dir}/promote`] } });
    const promoter = createPromoter({ now: clock });
    const first = await promoter.promote({ experiment, version: "v1" });
    const second = await promoter.promote({ experiment, version: "v2", recorded: first.marker });
    expect(second.outcome).toBe("promoted");
    expect((await tools.calls("promote")).map((c) => c.env.COHORT_VERSION)).toEqual(["v1", "v2"]);
  });

  it("changes nothing for kind none and says the winner was not promoted anywhere", async () => {
    const result = await createPromoter().promote({
      experiment: subject({ kind: "none" }),
      version: "v2",
    });
    expect(result.outcome).toBe("nothing-to-do");
    expect(result.message).toBe("v2 won; promotion kind is none, so nothing was changed.");
  });

  it("refuses to promote a version the experiment does not have", async () => {
    const run = createPromoter().promote({ experiment: subject({ kind: "none" }), version: "v9" });
    await expect(run).rejects.toThrow(
      "none promotion of v9 failed: v9 is not a version of checkout",
    );
  });

  it("uses the variables given with the request over the spec's", async () => {
    const tools = await toolDoubles({ promote: {} });
    const experiment = subject({
      kind: "command",
      command: { args: [`${tools.dir}/promote`, "{{ tag }}"] },
    });
    await createPromoter().promote({
      experiment,
      version: "v2",
      variables: { tag: "2.0.1-hotfix" },
    });
    expect((await tools.calls("promote"))[0]?.argv).toEqual(["2.0.1-hotfix"]);
  });

  it("serves the controller's promote(experiment, version) and reports each result", async () => {
    const tools = await toolDoubles({ promote: {} });
    const seen: PromotionResult[] = [];
    const port = forController(createPromoter(), (_e, r) => seen.push(r));
    const experiment = {
      ...subject({ kind: "command", command: { args: [`${tools.dir}/promote`] } }),
      namespace: "",
    };
    await port.promote(experiment, "v2");
    expect(seen.map((r) => [r.outcome, r.marker?.id])).toEqual([
      ["promoted", "checkout/promote-v2"],
    ]);
    expect((await tools.calls("promote"))[0]?.env.COHORT_NAMESPACE).toBe("");
  });

  it("names the missing settings block when a spec that skipped validation names a kind without it", async () => {
    const run = createPromoter().promote({ experiment: subject({ kind: "helm" }), version: "v2" });
    await expect(run).rejects.toThrow(
      "helm promotion of v2 failed: spec.promotion.helm is required with kind: helm",
    );
  });
});
