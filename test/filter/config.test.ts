import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { PluginConfigRejectedError } from "../../sidecar/src/host/index.js";
import { fixture, send, startFilter } from "./harness.js";

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const schema = JSON.parse(readFileSync(root("filter/plugin-config.schema.json"), "utf8"));
const validate = new Ajv2020({ allErrors: true }).compile(schema);

const validFixtures = readdirSync(root("test/fixtures/plugin-config")).filter((f) =>
  f.endsWith(".json"),
);
const invalidFixtures = readdirSync(root("test/fixtures/plugin-config/invalid"));

/** The message the filter refused `config` with (its error log), or undefined if accepted. */
function refusal(config: unknown): string | undefined {
  try {
    startFilter(config);
    return undefined;
  } catch (e) {
    if (!(e instanceof PluginConfigRejectedError)) throw e;
    return e.errors.join("\n");
  }
}

const REFUSED = "cohort: plugin configuration refused: ";

describe("plugin configuration fixtures", () => {
  it.each(validFixtures)("%s satisfies the JSON Schema and the filter accepts it", (name) => {
    const config = fixture(name);
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
    expect(refusal(config)).toBeUndefined();
  });

  it("the example in deploy/examples satisfies the schema and the filter accepts it", () => {
    const config = JSON.parse(readFileSync(root("deploy/examples/plugin-config.json"), "utf8"));
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
    expect(refusal(config)).toBeUndefined();
  });

  it.each(invalidFixtures)("invalid/%s fails the schema and the filter names the field", (name) => {
    const { error, config } = fixture(`invalid/${name}`) as { error: string; config: unknown };
    expect(validate(config)).toBe(false);
    expect(refusal(config)).toBe(REFUSED + error);
  });
});

const base = () => ({
  name: "checkout",
  baseline: "v1",
  versions: [
    { name: "v1", weight: 90 },
    { name: "v2", weight: 10 },
  ],
});

describe("the filter refuses what the schema cannot express, naming the field", () => {
  it.each([
    [
      "a baseline that is no version",
      { ...base(), baseline: "v9" },
      'experiments[0].baseline: names no version of the experiment: "v9"',
    ],
    [
      "duplicate version names",
      {
        ...base(),
        versions: [
          { name: "v1", weight: 1 },
          { name: "v1", weight: 1 },
        ],
      },
      'experiments[0].versions[1].name: duplicates version "v1"',
    ],
    [
      "weights that are all 0",
      { ...base(), versions: [{ name: "v1", weight: 0 }] },
      "experiments[0].versions: weights must not all be 0",
    ],
    [
      "a mirror version that is also split",
      { ...base(), mirror: { version: "v2", percent: 5 } },
      'experiments[0].mirror.version: must be a dark version, not one of versions: "v2"',
    ],
    [
      "an assignment table with a gap",
      {
        ...base(),
        assignment: [
          { version: "v1", ranges: [[0, 5000]] },
          { version: "v2", ranges: [[5001, 10000]] },
        ],
      },
      "experiments[0].assignment: bucket 5000 belongs to no version",
    ],
    [
      "overlapping assignment ranges",
      {
        ...base(),
        assignment: [
          { version: "v1", ranges: [[0, 6000]] },
          { version: "v2", ranges: [[5000, 10000]] },
        ],
      },
      "experiments[0].assignment[1].ranges[0]: overlaps another range at bucket 5000",
    ],
    [
      "an assignment of an unknown version",
      { ...base(), assignment: [{ version: "v7", ranges: [[0, 10000]] }] },
      'experiments[0].assignment[0].version: names no version of the experiment: "v7"',
    ],
    [
      "an override of an unknown version",
      { ...base(), override: { header: "x-qa", tokenSha256: ["a".repeat(64)], versions: ["v5"] } },
      'experiments[0].override.versions[0]: names no version of the experiment: "v5"',
    ],
  ])("refuses %s", (_what, experiment, message) => {
    expect(refusal({ experiments: [experiment] })).toBe(REFUSED + message);
  });

  it("refuses duplicate experiment names", () => {
    expect(refusal({ experiments: [base(), base()] })).toBe(
      `${REFUSED}experiments[1].name: duplicates experiment "checkout"`,
    );
  });

  it("refuses an override on the routing header", () => {
    const override = {
      header: "x-cohort-version",
      tokenSha256: ["a".repeat(64)],
      versions: ["v2"],
    };
    expect(refusal({ experiments: [{ ...base(), override }] })).toBe(
      `${REFUSED}experiments[0].override.header: must differ from routingHeader and mirrorHeader`,
    );
  });

  it("refuses text that is not JSON with the offset, and an empty configuration", () => {
    expect(refusal('{"experiments": [}')).toBe(
      `${REFUSED}invalid JSON at offset 17: unexpected character`,
    );
    expect(refusal("")).toBe(`${REFUSED}the plugin configuration is empty`);
    expect(refusal(`${"[".repeat(40)}${"]".repeat(40)}`)).toBe(
      `${REFUSED}invalid JSON at offset 32: nested deeper than 32 levels`,
    );
  });
});

describe("reconfiguration", () => {
  const checkout = fixture("checkout.json");
  const request = {
    ":authority": "checkout.shop.svc.cluster.local",
    "x-country": "wakanda",
    "x-user-id": "u-17",
  };

  it("adopts a good new configuration", () => {
    const emu = startFilter(checkout);
    const all = structuredClone(checkout) as { experiments: { versions: { weight: number }[] }[] };
    const versions = all.experiments[0]?.versions ?? [];
    versions.forEach((v, i) => {
      v.weight = i === 1 ? 100 : 0;
    });
    expect(emu.configure(all)).toBe(true);
    expect(send(emu, request).decision).toMatchObject({
      experiment: "checkout",
      version: "v2",
      reason: "split",
    });
  });

  it("refuses a bad later configuration, logs the field and keeps deciding with the last good one", () => {
    const emu = startFilter(checkout);
    const before = send(emu, request).decision;
    const bad = { experiments: [{ ...base(), versions: [{ name: "v1", weight: -1 }] }] };
    expect(emu.configure(bad)).toBe(false);
    expect(emu.logs("error").map((l) => l.message)).toContain(
      `${REFUSED}experiments[0].versions[0].weight: must be a non-negative integer (at most 1000000)`,
    );
    expect(send(emu, request).decision).toEqual(before);
    expect(emu.failed).toBe(false);
  });
});

describe("the JSON reader", () => {
  const one = (versions: string) =>
    `{"experiments":[{"name":"e","baseline":"v1","versions":${versions}}]}`;

  it("reads escapes and number forms as JSON.parse does", () => {
    const text = one('[{"name":"v\\u0031","weight":0},{"name":"v\\u0032","weight":1e2}]');
    expect(JSON.parse(text).experiments[0].versions[1]).toEqual({ name: "v2", weight: 100 });
    const emu = startFilter(text);
    expect(send(emu, { ":authority": "a", "x-request-id": "r" }).decision.version).toBe("v2");
  });

  it("refuses duplicate keys, which JSON.parse would silently merge", () => {
    const text = one('[{"name":"v1","name":"v2","weight":1}]');
    // The offset is just past the repeated key.
    const at = text.indexOf('"name":"v2"') + '"name"'.length;
    expect(refusal(text)).toBe(`${REFUSED}invalid JSON at offset ${at}: duplicate key "name"`);
  });

  it("refuses trailing text and unterminated strings with their offset", () => {
    const trailing = `${one('[{"name":"v1","weight":1}]')} x`;
    expect(refusal(trailing)).toBe(
      `${REFUSED}invalid JSON at offset ${trailing.length - 1}: unexpected text after the JSON value`,
    );
    expect(refusal('{"experiments": "abc')).toBe(
      `${REFUSED}invalid JSON at offset 20: unterminated string`,
    );
  });
});
