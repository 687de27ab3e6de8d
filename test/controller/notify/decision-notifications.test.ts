/**
 * The chat notifications a reconcile step calls for, from the core's own decisions: a dark version
 * that fails an objective is announced once as `mirror-stopped`, whichever status a (restarted)
 * adapter starts the next step from.
 */
import { describe, expect, it } from "vitest";
import { reconcile } from "../../../controller/src/core/reconcile.js";
import type { ExperimentStatus } from "../../../controller/src/core/status.js";
import {
  decisionNotifications,
  type Notification,
  webhookPayload,
} from "../../../controller/src/notify/index.js";
import { observations, spec, type VersionShape } from "../core/scenario.js";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const experiment = { name: "checkout", namespace: "shop" };
const darkSpec = () => spec("Canary", { traffic: { mirror: { version: "v3", percent: 25 } } });

const healthy: VersionShape = { requests: 2000, errorRate: 0.002, slow: 0.001 };
// 4 % errors on 200 mirrored requests a look: a confident fail of error-rate ≤ 1 % after a few looks
const broken: VersionShape = { requests: 200, errorRate: 0.04, slow: 0.001 };

/** Looks 1..n; each step starts from the stored status read back as JSON (what a restart sees). */
function notificationsOver(n: number, v3: VersionShape): Notification[][] {
  const out: Notification[][] = [];
  let stored: ExperimentStatus | undefined;
  for (let i = 1; i <= n; i++) {
    const obs = observations(
      {
        v1: { ...healthy, requests: healthy.requests * i },
        v2: { ...healthy, requests: healthy.requests * i },
        v3: { ...v3, requests: v3.requests * i },
      },
      30 * i,
    );
    const at = new Date(T0 + i * 30_000);
    const r = reconcile(darkSpec(), stored, obs, at);
    out.push(decisionNotifications(experiment, stored, r, at));
    stored = JSON.parse(JSON.stringify(r.status)) as ExperimentStatus;
  }
  return out;
}

describe("decisionNotifications for the dark version", () => {
  it("announces once that mirroring to a dark version failing an objective stopped", () => {
    const looks = notificationsOver(8, broken);
    const stopped = looks.flat().filter((x) => x.kind === "mirror-stopped");
    expect(stopped).toHaveLength(1);
    expect(stopped[0]).toMatchObject({
      experiment,
      version: "v3",
      message: "v3 no longer receives mirrored traffic: the dark version fails error-rate ≤ 0.01.",
    });
    expect(webhookPayload(stopped[0] as Notification)).toMatchObject({
      text: ":no_entry: Mirroring stopped: *shop/checkout* (v3). v3 no longer receives mirrored traffic: the dark version fails error-rate ≤ 0.01.",
      cohort: { event: "mirror-stopped", version: "v3", namespace: "shop" },
    });
    // not at the first look: a few hundred mirrored requests are not yet confident
    expect(looks[0]?.map((x) => x.kind)).toEqual(["started"]);
  });

  it("never announces a healthy dark version", () => {
    const kinds = notificationsOver(8, healthy)
      .flat()
      .map((x) => x.kind);
    expect(kinds).not.toContain("mirror-stopped");
    expect(kinds).toContain("started");
  });
});
