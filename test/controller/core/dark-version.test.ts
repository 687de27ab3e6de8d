/**
 * The dark (mirror) version in the core: assessed against every objective from the mirrored copies
 * it answered, counted in the error budget, never a winner and never in the split — and when it
 * fails an objective with confidence, mirroring to it stops once.
 */
import { describe, expect, it } from "vitest";
import { analyze } from "../../../controller/src/core/analysis.js";
import { splitAlpha } from "../../../controller/src/core/assess-alpha.js";
import { describeDecisions } from "../../../controller/src/core/describe.js";
import type { ExperimentSpec } from "../../../controller/src/core/experiment/index.js";
import { buildPluginConfig } from "../../../controller/src/core/plugin-config.js";
import { type ReconcileResult, reconcile } from "../../../controller/src/core/reconcile.js";
import { type ExperimentStatus, mirrorStopped } from "../../../controller/src/core/status.js";
import { observations, spec, type VersionShape } from "./scenario.js";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const mirror = { mirror: { version: "v3", percent: 25 } };

function withMirror(s: ExperimentSpec): ExperimentSpec {
  return { ...s, traffic: { ...s.traffic, ...mirror } };
}

/** Looks 1..n with cumulative counts growing by `perLook`, each status fed back through JSON. */
function run(s: ExperimentSpec, n: number, perLook: Record<string, VersionShape>) {
  const out: ReconcileResult[] = [];
  let status: ExperimentStatus | undefined;
  for (let i = 1; i <= n; i++) {
    const versions = Object.fromEntries(
      Object.entries(perLook).map(([v, x]) => [
        v,
        {
          ...x,
          requests: x.requests * i,
          ...(x.conversions === undefined ? {} : { conversions: x.conversions * i }),
        },
      ]),
    );
    const r = reconcile(s, status, observations(versions, 30 * i), new Date(T0 + i * 30_000));
    out.push(r);
    status = JSON.parse(JSON.stringify(r.status)) as ExperimentStatus;
  }
  return out;
}

const healthy: VersionShape = { requests: 2000, errorRate: 0.002, slow: 0.001 };
// 4% errors on 200 mirrored requests a look: a confident fail of error-rate ≤ 1% after a few looks
const broken: VersionShape = { requests: 200, errorRate: 0.04, slow: 0.001 };

describe("the dark version in the core", () => {
  it("counts the dark version's objectives in the Bonferroni split, but no reward pair", () => {
    // A/B with two objectives and a reward: 2·2 + 1 = 5 statements; with a dark version 3·2 + 1 = 7
    expect(splitAlpha(spec("AB")).statements).toBe(5);
    const split = splitAlpha(withMirror(spec("AB")));
    expect(split.statements).toBe(7);
    expect(split.alphaPerStatement).toBeCloseTo(0.05 / 7, 12);
    // Canary: (2 + 1) versions × 2 objectives
    expect(splitAlpha(withMirror(spec("Canary"))).statements).toBe(6);
  });

  it("validates a healthy dark version without a reward, a comparison, a weight or the win", () => {
    const a = analyze(
      withMirror(spec("AB")),
      observations(
        {
          v1: { ...healthy, requests: 20_000, conversions: 600 },
          v2: { ...healthy, requests: 20_000, conversions: 900 },
          // far better conversions, yet its answers never reach users: it cannot win
          v3: { ...healthy, requests: 5000, conversions: 2500 },
        },
        600,
        { v1: 50, v2: 50 },
      ),
    );
    expect(a.versions.v3?.role).toBe("dark");
    expect(a.versions.v1?.role).toBe("baseline");
    expect(a.versions.v2?.role).toBe("candidate");
    expect(a.versions.v3?.validated).toBe(true);
    expect(a.versions.v3?.objectives.map((o) => o.status)).toEqual(["pass", "pass"]);
    expect(a.versions.v3?.reward).toBeUndefined();
    expect(a.comparisons.some((c) => c.version === "v3" || c.against === "v3")).toBe(false);
    expect(Object.keys(a.weights)).toEqual(["v1", "v2"]);
    expect(a.winner).toBe("v2");
  });

  it("leaves a dark version without observations undecided and names it missing", () => {
    const a = analyze(
      withMirror(spec("Canary")),
      observations({ v1: healthy, v2: healthy }, 300, { v1: 90, v2: 10 }),
    );
    expect(a.versions.v3?.validated).toBeNull();
    expect(a.missing).toEqual(["v3"]);
  });

  it("stops mirroring to a failing dark version once, leaving the split's weights alone", () => {
    const s = withMirror(spec("Canary"));
    const bad = run(s, 6, { v1: healthy, v2: healthy, v3: broken });
    const good = run(s, 6, { v1: healthy, v2: healthy, v3: healthy });
    const stops = bad.flatMap((r) => r.actions.filter((a) => a.kind === "stop-mirror"));
    expect(stops).toMatchObject([{ id: "stop-mirror-v3", kind: "stop-mirror", version: "v3" }]);
    const first = bad.findIndex((r) => r.actions.some((a) => a.kind === "stop-mirror"));
    expect(bad[first]?.status.versions.v3?.validated).toBe(false);
    // the dark version's failure is no rollback: the split runs exactly as with a healthy one
    expect(bad.flatMap((r) => r.actions.map((a) => a.kind))).not.toContain("rollback");
    expect(bad.map((r) => r.weights)).toEqual(good.map((r) => r.weights));
    expect(bad.map((r) => r.status.phase)).toEqual(good.map((r) => r.status.phase));
    expect(good.flatMap((r) => r.actions.map((a) => a.kind))).not.toContain("stop-mirror");
  });

  it("builds the plugin config without the mirror once the status has stopped it", () => {
    const s = withMirror(spec("Canary"));
    const looks = run(s, 6, { v1: healthy, v2: healthy, v3: broken });
    const first = looks.findIndex((r) => r.actions.some((a) => a.kind === "stop-mirror"));
    expect(first).toBeGreaterThan(0);
    const config = (r: ReconcileResult | undefined) =>
      buildPluginConfig([
        {
          name: "checkout",
          spec: s,
          weights: r?.weights ?? {},
          mirrorStopped: mirrorStopped(r?.status, "v3"),
        },
      ]).experiments[0];
    expect(config(looks[first - 1])?.mirror).toEqual({ version: "v3", percent: 25 });
    for (const r of looks.slice(first)) {
      expect(config(r)?.mirror).toBeUndefined();
      expect(config(r)?.versions).toEqual([
        { name: "v1", weight: r.weights.v1 },
        { name: "v2", weight: r.weights.v2 },
      ]);
    }
  });

  it("shows the dark version's column in the table, without a weight", () => {
    const a = analyze(
      withMirror(spec("Canary")),
      observations({ v1: healthy, v2: healthy, v3: { ...healthy, errorRate: 0.2 } }, 300, {
        v1: 90,
        v2: 10,
      }),
    );
    const text = describeDecisions(a);
    const objectives = text.split("****** Objectives ******")[1]?.split("******")[0] ?? "";
    expect(objectives).toMatch(/\| Objective\s+\| v1\s+\| v2\s+\| v3 \(dark\)\s+\|/);
    expect(objectives).toMatch(/\| Validated .*✘ not validated\s+\|\n/);
    const traffic = text.split("****** Traffic ******")[1] ?? "";
    expect(traffic).not.toContain("v3");
  });
});
