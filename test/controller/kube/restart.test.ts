import { describe, expect, it } from "vitest";
import { canarySpec, type Harness, NS, ports, useHarness } from "./harness.js";

let h: Harness;

useHarness((x) => {
  h = x;
});

describe("cohort controller: restarts", () => {
  it("resumes mid-experiment from the stored status: next iteration, next look on schedule, no action twice", async () => {
    const first = ports();
    const c1 = await h.controller("replica-a", first);
    await h.create(c1, "checkout", canarySpec());
    await h.advance(30_000);
    await c1.stop();
    const before = h.experiment("checkout").status as { iteration: number; actions: unknown[] };
    expect(before).toMatchObject({ phase: "Running", iteration: 1 });

    // a new process: nothing in memory, only what the API server has
    const second = ports();
    await h.controller("replica-a-restarted", second);
    // resumed, but the next look is not due before 30 s after the last one
    expect(second.provider.requests).toHaveLength(0);
    expect(h.experiment("checkout").status).toMatchObject({ phase: "Running", iteration: 1 });
    await h.advance(30_000);

    const after = h.experiment("checkout").status as {
      iteration: number;
      actions: { id: string }[];
    };
    expect(after).toMatchObject({ phase: "Completed", iteration: 2 });
    expect(second.provider.requests.map((r) => r.elapsedSeconds)).toEqual([60]);
    const ids = after.actions.map((a) => a.id);
    expect(ids).toEqual([...new Set(ids)]);
    expect(ids).toEqual(["set-weights-0", "set-weights-1", "set-weights-2", "promote-v2"]);
    expect([...first.promoter.calls, ...second.promoter.calls]).toEqual([
      { experiment: "shop/checkout", version: "v2" },
    ]);
    expect(h.eventReasons("checkout").filter((r) => r === "Started")).toHaveLength(1);
  });

  it("finishes, after a restart, a promotion left as Promoting, deciding nothing again", async () => {
    // the state a controller leaves when it stops (or dies) between the two records
    const first = ports();
    const c1 = await h.controller("replica-a", first);
    first.promoter.failures = 1; // its promotion never completes
    await h.create(c1, "checkout", canarySpec());
    await h.advance(60_000);
    await c1.stop();
    expect(h.experiment("checkout").status).toMatchObject({
      phase: "Completed",
      promotion: { state: "Promoting", version: "v2", attempts: 1 },
    });
    expect(h.experiment("checkout").status?.promotion).toMatchObject({
      message: "promotion of v2 failed (attempt 1): helm upgrade failed: release is locked",
    });

    const second = ports();
    await h.controller("replica-a-restarted", second);
    expect(h.experiment("checkout").status).toMatchObject({
      phase: "Completed",
      iteration: 2,
      promotion: { state: "Promoted", version: "v2", attempts: 1 },
    });
    // the step is not decided again: the only call is the promotion left unfinished
    expect(second.promoter.calls).toEqual([{ experiment: `${NS}/checkout`, version: "v2" }]);
    expect(second.provider.requests).toHaveLength(0);
    expect(h.eventReasons("checkout")).toEqual([
      "Started",
      "WinnerFound",
      "Promoting",
      "Completed",
      "PromotionFailed",
      "Promoted",
    ]);
  });

  it("retries a failed promotion every interval until it succeeds, and only then calls it done", async () => {
    const p = ports();
    p.promoter.failures = 2;
    const c = await h.controller("replica-a", p);
    await h.create(c, "checkout", canarySpec());
    await h.advance(60_000);
    expect(p.promoter.calls).toHaveLength(1);
    await h.advance(30_000);
    expect(p.promoter.calls).toHaveLength(2);
    expect(h.experiment("checkout").status).toMatchObject({
      promotion: { state: "Promoting", attempts: 2 },
    });
    await h.advance(30_000);
    expect(h.experiment("checkout").status).toMatchObject({
      promotion: { state: "Promoted", attempts: 2 },
    });
    await h.advance(120_000);
    expect(p.promoter.calls).toHaveLength(3);
  });
});
