import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { addObservations } from "../../../controller/src/local/observations-add.js";
import {
  freshState,
  readState,
  specHashOf,
  writeState,
} from "../../../controller/src/local/state-file.js";
import { workspace } from "./harness.js";

describe("the state file", () => {
  it("reads back what was written and leaves no temporary file behind", async () => {
    const ws = await workspace();
    const state = { ...freshState("checkout", "abc", new Date(0)), looks: 3 };
    await writeState(ws.statePath, state);
    await writeState(ws.statePath, { ...state, looks: 4 });
    expect(await readState(ws.statePath)).toEqual({ ...state, looks: 4 });
    expect(await readdir(ws.dir)).toEqual(["state.json"]);
  });

  it("is absent before the first look", async () => {
    const ws = await workspace();
    expect(await readState(ws.statePath)).toBeUndefined();
  });

  it("refuses a file that is not a run's state, naming it and the way out", async () => {
    const ws = await workspace();
    const other = join(ws.dir, "other.json");
    await writeFile(other, '{"apiVersion": "v1"}');
    await expect(readState(other)).rejects.toThrow(
      `${other} is not a cohort run state file (format undefined, expected cohort.dev/local-state/v1); pass another --state or --fresh`,
    );
  });

  it("hashes a spec the same whatever its key order, and differently when a value changes", () => {
    const a = specHashOf("checkout", {
      target: "t",
      duration: { intervalSeconds: 1, maxIterations: 5 },
    });
    const b = specHashOf("checkout", {
      duration: { maxIterations: 5, intervalSeconds: 1 },
      target: "t",
    });
    const c = specHashOf("checkout", {
      target: "t",
      duration: { intervalSeconds: 1, maxIterations: 6 },
    });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });
});

describe("counts carried over a sidecar restart", () => {
  it("adds requests, errors, histograms and custom metrics version by version", () => {
    const sum = addObservations(
      {
        v1: {
          requests: 10,
          errors: 1,
          latency: { boundsMs: [5, 10], counts: [4, 5, 1] },
          metrics: { conversion: { count: 10, successes: 2 } },
        },
      },
      {
        v1: {
          requests: 3,
          errors: 0,
          latency: { boundsMs: [5, 10], counts: [1, 1, 1] },
          metrics: { conversion: { count: 3, successes: 1 } },
        },
        v2: { requests: 2, errors: 2 },
      },
    );
    expect(sum).toEqual({
      v1: {
        requests: 13,
        errors: 1,
        latency: { boundsMs: [5, 10], counts: [5, 6, 2] },
        metrics: { conversion: { count: 13, successes: 3 } },
      },
      v2: { requests: 2, errors: 2 },
    });
  });
});
