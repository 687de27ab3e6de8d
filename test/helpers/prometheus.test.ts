import { describe, expect, it } from "vitest";
import { findPrometheus } from "./prometheus.js";

describe("findPrometheus", () => {
  it("fails with how to install Prometheus when there is none, rather than skipping", () => {
    expect(() => findPrometheus({ PATH: "/nonexistent" }, "/nonexistent/prometheus")).toThrow(
      "Prometheus is not installed: these tests start a real one. Install the Debian package (`apt-get install prometheus`, as .ci/run does) or set PROMETHEUS to the binary.",
    );
  });

  it("takes $PROMETHEUS first and names it when it points nowhere", () => {
    expect(() => findPrometheus({ PROMETHEUS: "/nonexistent/bin" })).toThrow(
      "PROMETHEUS=/nonexistent/bin: no such file; point it at the prometheus binary",
    );
    expect(findPrometheus({ PROMETHEUS: process.execPath })).toBe(process.execPath);
  });
});
