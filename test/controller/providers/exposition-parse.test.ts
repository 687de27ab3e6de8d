import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ExpositionError, parseExposition } from "../../../controller/src/providers/index.js";

const ENVOY_PAGE = readFileSync(
  new URL("./fixtures/envoy-istio-stats.prom", import.meta.url),
  "utf8",
);

describe("parseExposition", () => {
  it("reads label values with escaped quotes, backslashes, line breaks, commas and braces", () => {
    const { samples } = parseExposition(ENVOY_PAGE);
    const weird = samples.find((s) => s.name === "weird_gauge");
    expect(weird?.labels).toEqual({ path: "C:\\temp\\new", note: "line one\nline two", empty: "" });
    const prefixes = samples
      .filter((s) => s.name === "envoy_http_downstream_rq_total")
      .map((s) => s.labels.envoy_http_conn_manager_prefix);
    expect(prefixes).toEqual(["inbound_0.0.0.0_9080;", 'a "quoted" prefix, with {braces} = signs']);
  });

  it("keeps every sample of the page, in order, with Envoy's pipes in cluster names", () => {
    const { samples } = parseExposition(ENVOY_PAGE);
    // Every non-comment, non-blank line of the fixture is one sample.
    const lines = ENVOY_PAGE.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#"));
    expect(samples).toHaveLength(lines.length);
    expect(samples[0]).toEqual({
      name: "envoy_cluster_upstream_cx_total",
      labels: { envoy_cluster_name: "outbound|9080|v3|reviews.default.svc.cluster.local" },
      value: 4,
    });
  });

  it("records the # TYPE of each family and ignores other comments", () => {
    const { types } = parseExposition(ENVOY_PAGE);
    expect(types.get("cohort_request_duration_ms")).toBe("histogram");
    expect(types.get("envoy_server_live")).toBe("gauge");
    expect(types.get("cohort_requests_total")).toBe("counter");
    expect(types.has("Modelled")).toBe(false);
  });

  it("reads NaN, ±Inf, exponents, timestamps, empty label sets, trailing commas and CRLF", () => {
    const text = [
      "# HELP a_total Something.",
      "a_total 1.5e3 1700000000000",
      "b{} NaN",
      'c{x="1",} +Inf',
      "d -Inf\r",
      'h_bucket{le="+Inf"} 7',
      "  e\t 0.25  ",
    ].join("\n");
    const { samples } = parseExposition(text);
    expect(samples.map((s) => [s.name, s.value])).toEqual([
      ["a_total", 1500],
      ["b", Number.NaN],
      ["c", Infinity],
      ["d", -Infinity],
      ["h_bucket", 7],
      ["e", 0.25],
    ]);
    expect(samples[0]?.timestampMs).toBe(1700000000000);
    expect(samples[2]?.labels).toEqual({ x: "1" });
    expect(samples[4]?.labels).toEqual({ le: "+Inf" });
  });

  it("names the line and column of an unterminated label value", () => {
    expect(() => parseExposition('ok 1\nx{a="b} 1')).toThrow(
      new ExpositionError(2, 'unterminated label value at column 5: x{a="b} 1'),
    );
    expect(() => parseExposition('ok 1\nx{a="b} 1')).toThrow(
      'line 2 of the exposition: unterminated label value at column 5: x{a="b} 1',
    );
  });

  it("refuses a value that is not a number rather than reading it as zero", () => {
    expect(() => parseExposition("x 12abc")).toThrow(
      "line 1 of the exposition: bad value '12abc' at column 8: x 12abc",
    );
  });

  it("refuses a label without '=', a duplicate label and text after the timestamp", () => {
    expect(() => parseExposition('x{a "b"} 1')).toThrow(
      `line 1 of the exposition: expected '=' at column 5: x{a "b"} 1`,
    );
    expect(() => parseExposition('x{a="1",a="2"} 1')).toThrow(
      'line 1 of the exposition: duplicate label a at column 9: x{a="1",a="2"} 1',
    );
    expect(() => parseExposition("x 1 2 3")).toThrow(
      "line 1 of the exposition: unexpected text after the timestamp at column 7: x 1 2 3",
    );
  });
});
