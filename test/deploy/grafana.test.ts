import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ControllerMetrics } from "../../controller/src/kube/controller-metrics.js";
import { DEPLOY, filterMetricsSource } from "./manifests.js";

const dashboard = JSON.parse(readFileSync(join(DEPLOY, "grafana/cohort-dashboard.json"), "utf8"));
const panels = (
  dashboard.panels as { type: string; title: string; targets?: { expr: string }[] }[]
).filter((p) => p.type !== "row");
const exprs = panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));

async function controllerMetricNames(): Promise<string[]> {
  const metrics = await new ControllerMetrics().registry.getMetricsAsJSON();
  return metrics.map((m) => m.name);
}

/** A series name as queried: histogram suffixes belong to their histogram. */
const family = (name: string) => name.replace(/_(bucket|sum|count)$/, "");

describe("deploy/grafana dashboard", () => {
  it("queries only series that the filter or the controller export", async () => {
    const known = new Set([...filterMetricsSource().metrics, ...(await controllerMetricNames())]);
    const queried = new Set(
      exprs.flatMap((e) => [...e.matchAll(/\b(cohort_\w+)\b/g)].map((m) => m[1] as string)),
    );
    const tags = new Set(filterMetricsSource().tags);
    const unknown = [...queried].filter(
      (n) => !tags.has(n) && !known.has(family(n)) && !known.has(n),
    );
    expect(unknown).toEqual([]);
  });

  it("shows every filter series and every controller series somewhere", async () => {
    const all = exprs.join("\n");
    for (const name of [...filterMetricsSource().metrics, ...(await controllerMetricNames())]) {
      expect(all, name).toContain(name);
    }
  });

  it("gives every panel a title, a Prometheus datasource variable and unique ids", () => {
    const ids = (dashboard.panels as { id: number }[]).map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of panels) {
      expect(p.title).not.toBe("");
      expect(p.targets?.length).toBeGreaterThan(0);
    }
    expect(dashboard.templating.list.map((v: { name: string }) => v.name)).toEqual([
      "datasource",
      "experiment",
    ]);
  });
});
