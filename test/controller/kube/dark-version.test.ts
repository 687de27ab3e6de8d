/**
 * A dark (mirrored) version that fails an objective, seen from the cluster: one Warning Event
 * `MirrorStopped` naming the version and the failing objective, the WasmPlugin without the mirror,
 * and neither repeated by a restarted controller.
 */
import { describe, expect, it } from "vitest";
import { canarySpec, type Harness, HEALTHY, NS, ports, useHarness } from "./harness.js";

let h: Harness;

useHarness((x) => {
  h = x;
});

/** A Canary of v1 → v2 that also copies half the users' requests to the dark v3. */
const darkSpec = () =>
  canarySpec({
    traffic: { stickyKey: ["header:x-user-id"], mirror: { version: "v3", percent: 50 } },
  });

/** v3 errs on 8 % of its mirrored requests against error-rate ≤ 0.01: it fails at the first look. */
function failingDark() {
  const p = ports();
  p.provider.shapes = { v1: HEALTHY, v2: HEALTHY, v3: { ...HEALTHY, errorRate: 0.08 } };
  return p;
}

/** The experiment's Events with that reason, as `type: message`. */
function events(name: string, reason: string): string[] {
  return h.fake
    .objects("events", NS)
    .filter((e) => (e.involvedObject as { name?: string }).name === name && e.reason === reason)
    .map((e) => `${String(e.type)}: ${String(e.message)}`);
}

const mirrorOf = (h: Harness) =>
  (h.pluginConfig().experiments[0] as { mirror?: { version: string } } | undefined)?.mirror;

describe("cohort controller: a dark version that fails an objective", () => {
  it("records one MirrorStopped warning naming the version and the objective, and drops the mirror", async () => {
    const c = await h.controller("replica-a", failingDark());
    await h.create(c, "checkout", darkSpec());
    expect(mirrorOf(h)).toMatchObject({ version: "v3" });

    await h.advance(30_000);
    expect(h.actionIds("checkout")).toContain("stop-mirror-v3");
    expect(events("checkout", "MirrorStopped")).toEqual([
      "Warning: v3 no longer receives mirrored traffic: the dark version fails error-rate ≤ 0.01.",
    ]);
    expect(mirrorOf(h)).toBeUndefined();
    // the split goes on: the candidate is neither rolled back nor held up
    expect(h.eventReasons("checkout")).not.toContain("Rollback");
  });

  it("does not repeat the warning after a restart, through to the end of the experiment", async () => {
    const c1 = await h.controller("replica-a", failingDark());
    await h.create(c1, "checkout", darkSpec());
    await h.advance(30_000);
    await c1.stop();
    expect(events("checkout", "MirrorStopped")).toHaveLength(1);

    await h.controller("replica-a-restarted", failingDark());
    await h.advance(90_000);
    expect(h.experiment("checkout").status).toMatchObject({ phase: "Completed", winner: "v2" });
    expect(h.eventReasons("checkout")).toEqual([
      "Started",
      "MirrorStopped",
      "WinnerFound",
      "Promoting",
      "Completed",
      "Promoted",
    ]);
    expect(mirrorOf(h)).toBeUndefined();
  });
});
