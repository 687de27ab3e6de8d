import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { DecisionRunner } from "../../sidecar/src/route/decide.js";
import { parseHeaderFlags, parseRequestsJsonl } from "../../sidecar/src/route/request-input.js";

const run = promisify(execFile);
const HOST = "checkout.shop.svc.cluster.local";
const config = {
  experiments: [
    {
      name: "checkout",
      hosts: [HOST],
      segment: { all: [{ header: "x-country", exact: "wakanda" }] },
      stickyKey: ["header:x-user-id"],
      baseline: "v1",
      versions: [
        { name: "v1", weight: 50 },
        { name: "v2", weight: 50 },
      ],
      salt: "checkout",
    },
  ],
};

let dir: string;
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

/** Runs the real CLI entry point (through tsx) and returns its exit code and output. */
async function cohort(...args: string[]) {
  try {
    const r = await run(process.execPath, [
      "--import",
      "tsx",
      "controller/src/cli/cohort.ts",
      ...args,
    ]);
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "cohort-route-"));
});

describe("cohort route", { timeout: 60_000 }, () => {
  it("prints one JSON decision per JSONL request, the same the filter makes in the host", async () => {
    const requests: Record<string, string>[] = [
      { ":authority": HOST, "x-country": "wakanda", "x-user-id": "alice" },
      { ":authority": `${HOST}:8080`, "x-country": "wakanda", "x-user-id": "bob" },
      { ":authority": HOST, "x-country": "narnia", "x-user-id": "carol" },
      { ":authority": "elsewhere" },
    ];
    const r = await cohort(
      "route",
      "--config",
      file("plugin.json", JSON.stringify(config)),
      "--requests",
      file("reqs.jsonl", `${requests.map((q) => JSON.stringify(q)).join("\n")}\n`),
      "--json",
    );
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const runner = DecisionRunner.start(config);
    expect(lines).toEqual(requests.map((q) => runner.decide(q)));
    expect(lines.map((d) => d.experiment)).toEqual(["checkout", "checkout", "checkout", null]);
    expect(["v1", "v2"]).toContain(lines[0].version);
    expect(lines[2]).toEqual({
      experiment: "checkout",
      version: "v1",
      mirror: null,
      reason: "outside-segment",
    });
    expect(lines[3].version).toBeNull();
  });

  it("prints a readable line for one request given with -H", async () => {
    const r = await cohort(
      "route",
      "--config",
      file("plugin.json", JSON.stringify(config)),
      "-H",
      `:authority: ${HOST}`,
      "-H",
      "x-country: wakanda",
      "-H",
      "x-user-id: alice",
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^checkout: v[12] \(split\)\n$/);
  });

  it("exits 1 with the filter's message naming the field for an invalid config", async () => {
    const bad = { experiments: [{ ...config.experiments[0], versions: [] }] };
    const r = await cohort(
      "route",
      "--config",
      file("bad.json", JSON.stringify(bad)),
      "-H",
      "a: b",
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("experiments[0].versions");
    expect(r.stdout).toBe("");
  });

  it("exits 1 naming the line of a malformed request", async () => {
    const r = await cohort(
      "route",
      "--config",
      file("plugin.json", JSON.stringify(config)),
      "--requests",
      file("broken.jsonl", '{"a":"b"}\n\n["not", "an object"]\n'),
      "--json",
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("broken.jsonl:3: expected a JSON object of headers");
  });

  it("documents its options in --help", async () => {
    const r = await cohort("route", "--help");
    expect(r.code).toBe(0);
    for (const flag of [
      "--config <file>",
      "-H, --header <header>",
      "--requests <file>",
      "--json",
    ]) {
      expect(r.stdout).toContain(flag);
    }
  });
});

describe("request input", () => {
  it("splits -H flags at the first colon, pseudo-headers included", () => {
    expect(parseHeaderFlags([":authority: shop:8080", "X-User: a: b"])).toEqual({
      ":authority": "shop:8080",
      "x-user": "a: b",
    });
    expect(() => parseHeaderFlags(["novalue"])).toThrow(`-H "novalue": expected 'name: value'`);
  });

  it("names the file and line of a header that is not a string", () => {
    expect(() => parseRequestsJsonl('{"a":"b"}\n{"n":1}', "r.jsonl")).toThrow(
      'r.jsonl:2: header "n" must be a string',
    );
  });
});
