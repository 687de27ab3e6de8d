import { execFile, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkoutConfig, HOST, servedBy } from "./harness.js";
import { send, startUpstream, type TestUpstream } from "./upstream-fixture.js";

const run = promisify(execFile);
const ENTRY = ["--import", "tsx", "controller/src/cli/cohort.ts"];

async function cohort(...args: string[]) {
  try {
    const r = await run(process.execPath, [...ENTRY, ...args]);
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

let dir: string;
let v1: TestUpstream;
let v2: TestUpstream;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cohort-sidecar-cli-"));
  v1 = await startUpstream("v1");
  v2 = await startUpstream("v2");
});
afterAll(async () => {
  await v1.close();
  await v2.close();
});

describe("cohort sidecar", { timeout: 60_000 }, () => {
  it("documents its options and admin endpoints in --help", async () => {
    const r = await cohort("sidecar", "--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--config <file>");
    expect(r.stdout).toContain("/stats/prometheus");
    expect(r.stdout).toContain("POST /plugin-config");
  });

  it("exits 1 naming the field when sidecar.yaml is invalid", async () => {
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "clusters:\n  - { name: v1, url: 'ftp://nowhere' }\n");
    const r = await cohort("sidecar", "--config", file);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('clusters[0].url: must be an http:// URL, got "ftp://nowhere"');
  });

  it("serves on an ephemeral port, prints it, and drains on SIGTERM", async () => {
    writeFileSync(join(dir, "plugin.json"), JSON.stringify(checkoutConfig(0, 100)));
    const file = join(dir, "sidecar.yaml");
    writeFileSync(
      file,
      [
        "listeners: [{ port: 0 }]",
        "clusters:",
        `  - { name: v1, url: '${v1.url}' }`,
        `  - { name: v2, url: '${v2.url}' }`,
        "routes: { defaultCluster: v1 }",
        "plugin: { configFile: plugin.json }",
      ].join("\n"),
    );
    const child = spawn(process.execPath, [...ENTRY, "sidecar", "--config", file], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    const lines = createInterface({ input: child.stdout });
    const first = await new Promise<string>((r) => lines.once("line", r));
    const { url, adminUrl } = JSON.parse(first) as { url: string; adminUrl: string };
    const r = await send(url, {
      headers: { host: HOST, "x-country": "wakanda", "x-user-id": "u" },
    });
    expect(servedBy(r)).toBe("v2");
    expect((await send(adminUrl, { path: "/ready" })).status).toBe(200);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
