/**
 * The query language of builtin custom metrics: the selector sums it accepts, the exact refusals
 * of everything else, and the same refusal at validate time naming the field.
 */
import { describe, expect, it } from "vitest";
import { validateExperiment } from "../../../controller/src/core/experiment/index.js";
import {
  checkSelectorSumTemplate,
  parseSelectorSum,
} from "../../../controller/src/core/experiment/selector-sum.js";

const HINT =
  'builtin queries are selector sums like sum(orders_total{version="{{ version }}"}); use provider: prometheus for PromQL';

/** The message parsing `query` fails with. */
function refusal(query: string): string {
  try {
    parseSelectorSum(query);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`${query} was accepted`);
}

describe("parsing a builtin selector sum", () => {
  it("accepts sum(name{...}) with = and != matchers, blanks and a trailing comma", () => {
    expect(parseSelectorSum(' sum ( orders_total{ version = "v2", region!="eu", } ) ')).toEqual({
      metric: "orders_total",
      matchers: [
        { label: "version", op: "=", value: "v2" },
        { label: "region", op: "!=", value: "eu" },
      ],
    });
  });

  it("accepts a bare selector, a bare name and an empty label list", () => {
    expect(parseSelectorSum('visits_total{a="x"}')).toEqual({
      metric: "visits_total",
      matchers: [{ label: "a", op: "=", value: "x" }],
    });
    expect(parseSelectorSum("visits_total")).toEqual({ metric: "visits_total", matchers: [] });
    expect(parseSelectorSum("sum(ns:visits:total{})")).toEqual({
      metric: "ns:visits:total",
      matchers: [],
    });
  });

  it('unescapes \\\\, \\" and \\n in values, as the prometheus template escapes them', () => {
    expect(parseSelectorSum('sum(x{a="q\\"b\\\\c\\nd"})').matchers[0]?.value).toBe('q"b\\c\nd');
  });

  it("refuses PromQL beyond a selector sum, naming the column", () => {
    expect(refusal("sum(rate(orders_total[5m]))")).toBe(
      `function rate(...) is not supported (only sum) at column 5 in "sum(rate(orders_total[5m]))"; ${HINT}`,
    );
    expect(refusal("rate(x[5m])")).toBe(
      `function rate(...) is not supported (only sum) at column 1 in "rate(x[5m])"; ${HINT}`,
    );
    expect(refusal('sum(a{b="c"}) / 2')).toBe(
      `unexpected '/' at column 15 in "sum(a{b=\\"c\\"}) / 2"; ${HINT}`,
    );
    expect(refusal("sum by (v) (x)")).toBe(
      `unexpected 'b' at column 5 in "sum by (v) (x)"; ${HINT}`,
    );
    expect(refusal('sum(x{a="b"}')).toBe(
      `expected ')', found the end at column 13 in "sum(x{a=\\"b\\"}"; ${HINT}`,
    );
  });

  it("refuses regex matchers, unquoted and unterminated values, and bad escapes", () => {
    expect(refusal('x{a=~"b.*"}')).toBe(
      `regex matcher =~ is not supported (only = and !=) at column 4 in "x{a=~\\"b.*\\"}"; ${HINT}`,
    );
    expect(refusal("x{a=b}")).toBe(
      `expected a double-quoted value, found 'b' at column 5 in "x{a=b}"; ${HINT}`,
    );
    expect(refusal('x{a="b}')).toBe(`unterminated label value at column 5 in "x{a=\\"b}"; ${HINT}`);
    expect(refusal('x{a="\\t"}')).toBe(
      `unknown escape \\t at column 6 in "x{a=\\"\\\\t\\"}"; ${HINT}`,
    );
    expect(refusal('x{a="b" c="d"}')).toBe(
      `expected ',' or '}', found 'c' at column 9 in "x{a=\\"b\\" c=\\"d\\"}"; ${HINT}`,
    );
    expect(refusal("")).toBe(`expected a metric name, found the end at column 1 in ""; ${HINT}`);
  });

  it("checks a template with placeholders in place, and refuses {{ elapsed }}", () => {
    expect(() =>
      checkSelectorSumTemplate('sum(orders_total{version="{{ version }}",r="{{region}}"})'),
    ).not.toThrow();
    expect(() => checkSelectorSumTemplate("sum(orders_total{version={{ version }}})")).toThrow(
      `expected a double-quoted value, found '{' at column 26 in "sum(orders_total{version={{ version }}})"; ${HINT}`,
    );
    expect(() =>
      checkSelectorSumTemplate('sum(increase(orders_total{v="{{ version }}"}[{{ elapsed }}]))'),
    ).toThrow(
      `{{ elapsed }} has no meaning here: the counts are cumulative since the series began in "sum(increase(orders_total{v=\\"{{ version }}\\"}[{{ elapsed }}]))"; ${HINT}`,
    );
  });
});

describe("validating a builtin custom metric", () => {
  const doc = (count: string, provider = "builtin") => ({
    apiVersion: "cohort.dev/v1alpha1",
    kind: "Experiment",
    metadata: { name: "shop" },
    spec: {
      target: "shop",
      testingPattern: "AB",
      baseline: { name: "v1" },
      candidates: [{ name: "v2" }],
      criteria: { reward: { metric: "conversion", preferredDirection: "High" } },
      metrics: [
        {
          name: "conversion",
          type: "rate",
          provider,
          count,
          successes: 'sum(orders_total{version="{{ version }}"})',
        },
      ],
    },
  });

  it("names the field of a query that is not a selector sum", () => {
    expect(validateExperiment(doc("sum(rate(visits_total[5m]))"))).toEqual([
      {
        path: "spec.metrics[0].count",
        message: `function rate(...) is not supported (only sum) at column 5 in "sum(rate(visits_total[5m]))"; ${HINT}`,
      },
    ]);
  });

  it("accepts selector sums, and leaves prometheus metrics' PromQL alone", () => {
    expect(validateExperiment(doc('sum(visits_total{version="{{ version }}"})'))).toEqual([]);
    expect(validateExperiment(doc("sum(rate(visits_total[5m]))", "prometheus"))).toEqual([]);
  });
});
