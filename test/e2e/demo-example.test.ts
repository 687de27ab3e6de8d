/**
 * deploy/examples/local/checkout.yaml as a user runs it: the demo's apps stand in for the user's
 * versions (ports rewritten to free ones), `cohort run --json` takes it to a verdict, and the
 * command promotion writes the winner's name next to the file.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { type DemoApps, startDemoApps } from "../../controller/src/demo/demo-apps.js";
import { spawnCohort } from "./cohort-process.js";

const healthy = (version: string, seed: number) => ({
  version,
  conversion: 0.1,
  slowShare: 0,
  slowMs: 0,
  seed,
});

describe("deploy/examples/local/checkout.yaml", { timeout: 150_000 }, () => {
  let dir: string | undefined;
  let apps: DemoApps | undefined;
  afterAll(async () => {
    await apps?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it("runs with cohort run to a promoted canary when the versions are healthy", async () => {
    dir = await mkdtemp(join(tmpdir(), "cohort-example-"));
    apps = await startDemoApps([healthy("v1", 1), healthy("v2", 2), healthy("v3", 3)]);
    const [v1, v2, v3] = apps.apps;
    const doc = parseDocument(await readFile("deploy/examples/local/checkout.yaml", "utf8"));
    doc.setIn(["spec", "baseline", "url"], v1?.url);
    doc.setIn(["spec", "candidates", 0, "url"], v2?.url);
    doc.setIn(["spec", "sidecar", "mirrorUrl"], v3?.url);
    doc.setIn(["spec", "sidecar", "port"], 0);
    await writeFile(join(dir, "checkout.yaml"), doc.toString());

    const p = spawnCohort(["run", "checkout.yaml", "--json"], dir);
    const code = await p.exited;
    expect(code, p.stderr.join("\n")).toBe(0);
    const last = JSON.parse(p.stdout[p.stdout.length - 1] ?? "{}");
    expect(last).toMatchObject({ winner: "v2", phase: "Completed" });
    expect(await readFile(join(dir, "promoted-version"), "utf8")).toBe("v2\n");
    // the dark v3 answered mirrored copies only: it counted them as participants' visits
    expect(v3?.counts().visits ?? 0).toBeGreaterThan(0);
  });
});
