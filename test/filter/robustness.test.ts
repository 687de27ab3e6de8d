import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Emulator, PluginConfigRejectedError } from "../../sidecar/src/host/index.js";
import { fixture, send, startFilter } from "./harness.js";

const HEADER_NAMES = [
  "x-user-id",
  "x-country",
  "x-cohort-version",
  "x-cohort-mirror",
  "x-cohort-force",
  "x-request-id",
  "cookie",
  "user-agent",
];
const NAMES = ["v1", "v2", "v3", "checkout", "a", "b"];

const text = fc.oneof(
  fc.constantFrom(...NAMES, ...HEADER_NAMES, "", "header:x-user-id", "cookie:uid", "*.shop"),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 6 }),
);
const junk = fc.oneof(
  text,
  fc.integer({ min: -5, max: 1_000_005 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const leaf = fc.record(
  {
    header: fc.oneof(fc.constantFrom(...HEADER_NAMES), text),
    cookie: fc.oneof(fc.constantFrom("uid", "beta"), text),
    exact: text,
    prefix: text,
    suffix: text,
    contains: text,
    oneOf: fc.array(text, { maxLength: 4 }),
    present: fc.oneof(fc.constant(true), junk),
    absent: fc.oneof(fc.constant(true), junk),
  },
  { requiredKeys: [] },
);
const { condition } = fc.letrec<{ condition: unknown }>((tie) => ({
  condition: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.record({ all: fc.array(tie("condition"), { maxLength: 3 }) }),
    fc.record({ any: fc.array(tie("condition"), { maxLength: 3 }) }),
    fc.record({ not: tie("condition") }),
    junk,
  ),
}));
const version = fc.record(
  { name: fc.oneof(fc.constantFrom(...NAMES), text), weight: fc.oneof(fc.nat(100), junk) },
  { requiredKeys: [] },
);
const range = fc.oneof(
  fc.tuple(fc.integer({ min: -2, max: 10_002 }), fc.integer({ min: -2, max: 10_002 })),
  fc.array(junk, { maxLength: 3 }),
);
const experiment = fc.record(
  {
    name: fc.oneof(fc.constantFrom(...NAMES), text),
    hosts: fc.oneof(
      fc.array(fc.constantFrom("shop", "*.shop", "checkout"), { maxLength: 3 }),
      junk,
    ),
    segment: condition,
    stickyKey: fc.oneof(
      fc.array(fc.constantFrom("header:x-user-id", "cookie:uid"), { maxLength: 3 }),
      junk,
    ),
    baseline: fc.oneof(fc.constantFrom(...NAMES), junk),
    versions: fc.oneof(fc.array(version, { maxLength: 4 }), junk),
    mirror: fc.oneof(
      fc.record({ version: fc.constantFrom(...NAMES), percent: fc.oneof(fc.nat(100), junk) }),
      junk,
    ),
    salt: fc.oneof(text, junk),
    assignment: fc.oneof(
      fc.array(
        fc.record({
          version: fc.constantFrom(...NAMES),
          ranges: fc.array(range, { maxLength: 3 }),
        }),
        { maxLength: 3 },
      ),
      junk,
    ),
    override: fc.oneof(
      fc.record({
        header: fc.constantFrom("x-cohort-force", "x-qa"),
        tokenSha256: fc.array(fc.oneof(fc.constant("0".repeat(64)), text), { maxLength: 2 }),
        versions: fc.array(fc.constantFrom(...NAMES), { maxLength: 2 }),
      }),
      junk,
    ),
  },
  { requiredKeys: [] },
);
const config = fc.oneof(
  { weight: 6, arbitrary: fc.record({ experiments: fc.array(experiment, { maxLength: 3 }) }) },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        routingHeader: text,
        mirrorHeader: text,
        experiments: fc.oneof(fc.array(experiment, { maxLength: 2 }), junk),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: fc.json({ maxDepth: 6 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
);
const headers = fc.dictionary(
  fc.oneof(fc.constantFrom(...HEADER_NAMES), fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/)),
  fc.oneof(
    fc.constantFrom("v2", "v2:0000", "uid=u1; beta=1", "wakanda", ""),
    fc.string({ unit: "grapheme-ascii", maxLength: 40 }),
    fc.string({ unit: "grapheme", maxLength: 12 }),
  ),
  { maxKeys: 8 },
);
const authority = fc.constantFrom(
  "shop",
  "shop:8080",
  "a.shop",
  "checkout",
  "[::1]:80",
  "",
  "SHOP",
);

/** Starts the filter; undefined when the configuration is refused the proper way. */
function tryStart(cfg: unknown): Emulator | undefined {
  try {
    return startFilter(typeof cfg === "string" ? cfg : JSON.stringify(cfg));
  } catch (e) {
    if (e instanceof PluginConfigRejectedError && e.cause === undefined) return undefined;
    throw e;
  }
}

describe("robustness", () => {
  it("never traps under thousands of random configurations and random requests", () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        config,
        fc.array(fc.tuple(authority, headers), { minLength: 1, maxLength: 3 }),
        (cfg, requests) => {
          const emu = tryStart(cfg);
          if (emu === undefined) return;
          accepted++;
          const routing = (cfg as { routingHeader?: string }).routingHeader ?? "x-cohort-version";
          for (const [host, h] of requests) {
            const s = emu.stream();
            s.sendRequestHeaders({ ...h, ":authority": host }, true);
            expect(emu.failed, emu.failure).toBe(false);
            const decision = JSON.parse(s.property("cohort.decision") ?? "null");
            expect(decision).toHaveProperty("reason");
            expect(s.header(routing) ?? null).toBe(decision.version);
            s.sendResponseHeaders({ ":status": "200" }, true);
            s.complete();
          }
          expect(emu.logs("critical")).toEqual([]);
        },
      ),
      { seed: 20261126, numRuns: 2500 },
    );
    // The generator must reach the request path often enough to mean something.
    expect(accepted).toBeGreaterThan(100);
  }, 120_000);

  it("never traps on the fixtures' configurations under thousands of random requests", () => {
    const emus = ["checkout.json", "segments.json", "override.json", "assignment.json"].map((f) =>
      startFilter(fixture(f)),
    );
    fc.assert(
      fc.property(fc.nat(emus.length - 1), authority, headers, (i, host, h) => {
        const emu = emus[i] as Emulator;
        const out = send(emu, { ...h, ":authority": host.replace("shop", "shop.example.com") });
        expect(emu.failed, emu.failure).toBe(false);
        expect(out.decision).toHaveProperty("reason");
      }),
      { seed: 7, numRuns: 4000 },
    );
  }, 60_000);
});
