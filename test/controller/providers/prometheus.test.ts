import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  ExperimentSpec,
  MetricDefinition,
} from "../../../controller/src/core/experiment/index.js";
import {
  BuiltinProvider,
  collectRequestFor,
  isNoDataError,
  isProviderError,
  isTemplateError,
  PrometheusProvider,
} from "../../../controller/src/providers/index.js";
import { type PrometheusServer, startPrometheus } from "../../helpers/prometheus.js";
import { type ExpositionServer, startExpositionServer } from "../../helpers/prometheus-target.js";
import { ENVOY_PAGE, REVIEWS_CLUSTERS, reviewsSpec } from "./reviews.js";

/** The application's own series, beside Envoy's: orders and visits per version and region. */
const APP_SERIES = `# TYPE orders_total counter
orders_total{version="v1",region="eu"} 30
orders_total{version="v2",region="eu"} 45
orders_total{version="v2",region="us"} 1000
# TYPE visits_total counter
visits_total{version="v1",region="eu"} 1000
visits_total{version="v2",region="eu"} 900
visits_total{version="v2",region="us"} 5000
# TYPE basket_value_count counter
basket_value_count{version="v1"} 20
basket_value_count{version="v2"} 25
# TYPE basket_value_sum counter
basket_value_sum{version="v1"} 1000
basket_value_sum{version="v2"} 1500
# TYPE basket_value_squares counter
basket_value_squares{version="v1"} 60000
basket_value_squares{version="v2"} 100000
`;

const conversion = (count: string): MetricDefinition => ({
  name: "conversion",
  type: "rate",
  provider: "prometheus",
  successes:
    'sum(max_over_time(orders_total{version="{{ version }}",region="{{ region }}"}[{{ elapsed }}]))',
  count,
});
const VISITS = 'sum(visits_total{version="{{ version }}",region="{{ region }}"})';
const basket: MetricDefinition = {
  name: "basket",
  type: "mean",
  provider: "prometheus",
  count: 'sum(basket_value_count{version="{{ version }}"})',
  sum: 'sum(basket_value_sum{version="{{ version }}"})',
  sumSquares: 'sum(basket_value_squares{version="{{ version }}"})',
};

/** reviews without its mirror, judged on custom metrics. */
function customSpec(metrics: MetricDefinition[]): ExperimentSpec {
  const { traffic: _mirror, ...spec } = reviewsSpec();
  return {
    ...spec,
    criteria: {
      objectives: [{ metric: "basket", lowerLimit: 10 }],
      reward: { metric: "conversion", preferredDirection: "High" },
    },
    metrics,
  };
}

describe("the prometheus provider against a real Prometheus", () => {
  let target: ExpositionServer;
  let prometheus: PrometheusServer;
  let provider: PrometheusProvider;
  let at: Date;
  beforeAll(async () => {
    target = await startExpositionServer(ENVOY_PAGE + APP_SERIES);
    prometheus = await startPrometheus({ targets: [target.target] });
    at = await prometheus.waitForScrape();
    provider = new PrometheusProvider({ url: prometheus.url });
  }, 60_000);
  afterAll(async () => {
    await prometheus?.close();
    await target?.close();
  });
  const request = (spec: ExperimentSpec, when = at) =>
    collectRequestFor(
      { name: "reviews", spec },
      { elapsedSeconds: 30, at: when, clusters: REVIEWS_CLUSTERS },
    );

  /** What collecting reviews with these custom metrics fails with. */
  const failure = (metrics: MetricDefinition[]) =>
    provider.collect(request(customSpec(metrics))).then(
      () => new Error("expected the collect to fail"),
      (e: unknown) => e as Error,
    );

  it("reads an Envoy page's builtin metrics through PromQL exactly as the builtin provider reads the page", async () => {
    const direct = await new BuiltinProvider({ url: `${target.url}/stats/prometheus` }).collect(
      request(reviewsSpec()),
    );
    const viaPromQL = await provider.collect(request(reviewsSpec()));
    expect(viaPromQL).toEqual(direct);
    expect(Object.keys(viaPromQL.versions)).toEqual(["v1", "v2", "v3"]);
  });

  it("fills each version's variables and the elapsed range into rate and mean queries", async () => {
    const obs = await provider.collect(request(customSpec([conversion(VISITS), basket])));
    // The region "eu" of each version selects its series; "us" stays out.
    expect(obs.versions.v1?.metrics).toEqual({
      conversion: { count: 1000, successes: 30 },
      basket: { count: 20, sum: 1000, sumSquares: 60000 },
    });
    expect(obs.versions.v2?.metrics).toEqual({
      conversion: { count: 900, successes: 45 },
      basket: { count: 25, sum: 1500, sumSquares: 100000 },
    });
  });

  it("raises NoDataError naming the query when a custom query returns an empty vector", async () => {
    const err = await failure([
      conversion('sum(visits_total{version="{{ version }}",region="mars"})'),
      basket,
    ]);
    expect(isNoDataError(err)).toBe(true);
    expect((err as Error).message).toBe(
      'no data for metric conversion for version v1: the count query returned no series: sum(visits_total{version="v1",region="mars"})',
    );
  });

  it("evaluates at the request's time: before the first scrape there is no data, so hold", async () => {
    const err = await provider
      .collect(request(reviewsSpec(), new Date(at.getTime() - 600_000)))
      .catch((e) => e);
    expect(isNoDataError(err)).toBe(true);
    expect((err as Error).message).toBe(
      'no data for metric request-count for version v1: no series cohort_responses_total{cohort_experiment="reviews",cohort_version="v1"} in the source yet',
    );
  });

  it("reports Prometheus's own error text for a query it refuses, with the metric and query", async () => {
    const err = await failure([conversion('sum(visits_total{version="{{ version }}"}'), basket]);
    expect(isProviderError(err)).toBe(true);
    // Prometheus 2.42 (Debian bookworm)'s parser message for the missing parenthesis.
    expect((err as Error).message).toBe(
      'query failed for metric conversion for version v1: bad_data: invalid parameter "query": 1:31: parse error: unclosed left parenthesis (query: sum(visits_total{version="v1"})',
    );
  });

  it("refuses a query that returns several series instead of guessing which one counts", async () => {
    const err = await failure([
      conversion('sum by (region) (visits_total{version="{{ version }}"})'),
      basket,
    ]);
    expect((err as Error).message).toBe(
      'query failed for metric conversion for version v2: the query returned 2 series, expected one (aggregate it, e.g. with sum): sum by (region) (visits_total{version="v2"})',
    );
  });

  it("caps successes at count, since increase() extrapolates each query on its own", async () => {
    const obs = await provider.collect(
      request(
        customSpec([
          conversion('sum(visits_total{version="{{ version }}",region="{{ region }}"}) / 100'),
          basket,
        ]),
      ),
    );
    // v1: 30 orders out of 1000 / 100 = 10 visits → capped at 10.
    expect(obs.versions.v1?.metrics?.conversion).toEqual({ count: 10, successes: 10 });
    expect(obs.versions.v2?.metrics?.conversion).toEqual({ count: 9, successes: 9 });
  });

  it("refuses a negative count as the query's fault", async () => {
    const err = await failure([conversion('-sum(visits_total{version="{{ version }}"})'), basket]);
    expect(err.message).toBe(
      'query failed for metric conversion for version v1: the count query returned -1000, expected a number ≥ 0: -sum(visits_total{version="v1"})',
    );
  });

  it("names the placeholder a mirrored version cannot fill, since it carries no variables", async () => {
    const spec = { ...customSpec([conversion(VISITS), basket]), traffic: reviewsSpec().traffic };
    const err = await provider.collect(request(spec as ExperimentSpec)).catch((e) => e);
    expect(isTemplateError(err)).toBe(true);
    expect((err as Error).message).toBe(
      "query template of metric conversion: unknown placeholder {{ region }} for version v3; known: version, name, elapsed (it has no variables)",
    );
  });

  it("reports an unreachable Prometheus as a failed query of the first metric", async () => {
    const gone = await startExpositionServer();
    await gone.close();
    const err = await new PrometheusProvider({ url: gone.url })
      .collect(request(reviewsSpec()))
      .catch((e) => e);
    expect((err as Error).message).toBe(
      `query failed for metric request-count for version v1: POST ${gone.url}/api/v1/query: fetch failed (connect ECONNREFUSED ${gone.target}) (query: sum(cohort_responses_total{cohort_experiment="reviews",cohort_version="v1"}))`,
    );
  });

  it("rethrows the caller's cancellation as it is, not as a failing source", async () => {
    const cancel = new AbortController();
    cancel.abort(new Error("experiment deleted"));
    const req = { ...request(reviewsSpec()), signal: cancel.signal };
    await expect(provider.collect(req)).rejects.toThrow(new Error("experiment deleted"));
  });
});
