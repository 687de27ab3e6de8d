import { describe, expect, it } from "vitest";
import { validateExperiment } from "../../../controller/src/core/experiment/index.js";
import { experimentDoc } from "./experiment.js";

function problems(spec: Record<string, unknown>) {
  return validateExperiment(
    experimentDoc({
      v1: "http://127.0.0.1:9001",
      v2: "http://127.0.0.1:9002",
      promotedFile: "/tmp/p",
      spec,
    }),
  );
}

describe("validation of the local-mode fields", () => {
  it("accepts fractional intervals, a load section and a sidecar section", () => {
    expect(
      problems({
        duration: { intervalSeconds: 1.5, maxIterations: 4 },
        load: { rate: 12.5, users: 10, headers: [{ name: "x-country", values: { a: 1 } }] },
        sidecar: { port: 8080 },
      }),
    ).toEqual([]);
  });

  it("names a version url the sidecar cannot use", () => {
    expect(
      problems({
        baseline: { name: "v1", url: "https://example.com/app" },
      }),
    ).toEqual([
      {
        path: "spec.baseline.url",
        message: 'must be http://host:port (no path, no https), not "https://example.com/app"',
      },
    ]);
  });

  it("refuses a mirror url without a mirror", () => {
    expect(problems({ sidecar: { mirrorUrl: "http://127.0.0.1:9003" } })).toEqual([
      {
        path: "spec.sidecar.mirrorUrl",
        message: "is only used with spec.traffic.mirror; add the mirror or remove mirrorUrl",
      },
    ]);
  });

  it("refuses a header mix in which no value can be drawn, and a rate of zero", () => {
    expect(
      problems({ load: { rate: 0, headers: [{ name: "x-country", values: { a: 0 } }] } }).map(
        (p) => p.path,
      ),
    ).toEqual(["spec.load.rate", "spec.load.headers[0].values"]);
  });
});
