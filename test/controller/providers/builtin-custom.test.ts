/**
 * `provider: builtin` custom metrics: selector sums over the stats page merged with each
 * version's own metrics page (`variables.metricsUrl`), both served from loopback. The expected
 * numbers are the sums of the pages' lines below, added by hand in the comments.
 */
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
} from "../../../controller/src/providers/index.js";
import { type ExpositionServer, startExpositionServer } from "../../helpers/prometheus-target.js";

// the sidecar's page: the filter's responses for v1, v2 and a merged basket histogram-free mean
const STATS = `# TYPE cohort_responses_total counter
cohort_responses_total{cohort_experiment="shop",cohort_version="v1",cohort_status_class="2xx"} 200
cohort_responses_total{cohort_experiment="shop",cohort_version="v2",cohort_status_class="2xx"} 180
cohort_responses_total{cohort_experiment="shop",cohort_version="v3",cohort_status_class="2xx"} 50
basket_value_count{version="v1"} 20
basket_value_sum{version="v1"} 400.5
basket_value_squares{version="v1"} 9000.25
`;

// each app's own page; v1's has two regions, and a series of another version that must not count
const APP = {
  v1: `# TYPE orders_total counter
visits_total{version="v1",region="eu"} 120
visits_total{version="v1",region="us"} 60
visits_total{version="v2",region="eu"} 999
orders_total{version="v1",region="eu"} 12
orders_total{version="v1",region="us"} 9
`,
  v2: `visits_total{version="v2",region="eu"} 150
orders_total{version="v2",region="eu"} 30
basket_value_count{version="v2"} 10
basket_value_sum{version="v2"} 250
basket_value_squares{version="v2"} 7000
`,
};

const conversion = (count: string, successes: string): MetricDefinition => ({
  name: "conversion",
  type: "rate",
  provider: "builtin",
  count,
  successes,
});
const BASKET: MetricDefinition = {
  name: "basket",
  type: "mean",
  provider: "builtin",
  count: 'sum(basket_value_count{version="{{ version }}"})',
  sum: 'sum(basket_value_sum{version="{{ version }}"})',
  sumSquares: 'sum(basket_value_squares{version="{{ version }}"})',
};
const VISITS = 'sum(visits_total{version="{{ version }}"})';
const ORDERS = 'sum(orders_total{version="{{ version }}"})';

describe("builtin custom metrics", () => {
  let stats: ExpositionServer;
  let apps: Record<"v1" | "v2", ExpositionServer>;
  beforeAll(async () => {
    stats = await startExpositionServer(STATS);
    apps = { v1: await startExpositionServer(APP.v1), v2: await startExpositionServer(APP.v2) };
  });
  afterAll(async () => {
    await Promise.all([stats.close(), apps.v1.close(), apps.v2.close()]);
  });

  const spec = (
    metrics: MetricDefinition[],
    extra: Partial<ExperimentSpec> = {},
  ): ExperimentSpec => ({
    target: "shop",
    testingPattern: "AB",
    baseline: { name: "v1", variables: { metricsUrl: `${apps.v1.url}/metrics`, region: "eu" } },
    candidates: [{ name: "v2", variables: { metricsUrl: `${apps.v2.url}/metrics`, region: "eu" } }],
    criteria: {
      objectives: metrics.map((m) => ({ metric: m.name, lowerLimit: 0 })),
    },
    metrics,
    ...extra,
  });
  const collect = (s: ExperimentSpec) =>
    new BuiltinProvider({ url: `${stats.url}/stats/prometheus` }).collect(
      collectRequestFor({ name: "shop", spec: s }, { elapsedSeconds: 30 }),
    );
  const failure = (s: ExperimentSpec) =>
    collect(s).then(
      () => new Error("collected"),
      (e) => e,
    );

  it("reads a rate metric from each version's own page and a mean one from the stats page", async () => {
    const obs = await collect(spec([conversion(VISITS, ORDERS), BASKET]));
    // v1: visits 120 + 60 = 180, orders 12 + 9 = 21 (v2's 999 on v1's page is v2's, not counted);
    // basket from the stats page: 20, 400.5, 9000.25. v2: 150 visits, 30 orders; basket 10, 250, 7000.
    expect(obs.versions.v1).toEqual({
      requests: 200,
      errors: 0,
      metrics: {
        conversion: { count: 180, successes: 21 },
        basket: { count: 20, sum: 400.5, sumSquares: 9000.25 },
      },
    });
    expect(obs.versions.v2?.metrics).toEqual({
      conversion: { count: 150, successes: 30 },
      basket: { count: 10, sum: 250, sumSquares: 7000 },
    });
  });

  it("fills version variables and honours != matchers", async () => {
    const obs = await collect(
      spec([
        conversion(
          'visits_total{version="{{ version }}",region="{{ region }}"}',
          'sum(orders_total{version="{{ version }}",region!="us"})',
        ),
      ]),
    );
    // v1 in eu only: 120 visits, 12 orders
    expect(obs.versions.v1?.metrics?.conversion).toEqual({ count: 120, successes: 12 });
  });

  it("holds with NoDataError naming the query and the pages read when no series matches", async () => {
    const err = await failure(
      spec([conversion(VISITS, 'sum(refunds_total{version="{{ version }}"})')]),
    );
    expect(isNoDataError(err)).toBe(true);
    expect((err as Error).message).toBe(
      `no data for metric conversion for version v1: the successes query found no series in ${stats.url}/stats/prometheus and ${apps.v1.url}/metrics: sum(refunds_total{version="v1"})`,
    );
  });

  it("reads a version without a metricsUrl from the stats page alone", async () => {
    const s = spec([BASKET]);
    s.candidates = [{ name: "v3" }];
    const err = await failure(s);
    // the stats page has no basket series for v3
    expect(isNoDataError(err)).toBe(true);
    expect((err as Error).message).toBe(
      `no data for metric basket for version v3: the count query found no series in ${stats.url}/stats/prometheus: sum(basket_value_count{version="v3"})`,
    );
  });

  it("reads the dark version's page from the mirror's variables", async () => {
    const dark = await startExpositionServer(
      'visits_total{version="v4"} 40\norders_total{version="v4"} 3\n',
    );
    stats.serve(`${STATS}envoy_cluster_upstream_rq_completed{envoy_cluster_name="v4"} 41\n`);
    try {
      const s = spec([conversion(VISITS, ORDERS)], {
        traffic: { mirror: { version: "v4", percent: 10, variables: { metricsUrl: dark.url } } },
      });
      const obs = await collect(s);
      // v4's requests from its cluster on the stats page, its conversion from its own page
      expect(obs.versions.v4).toEqual({
        requests: 41,
        errors: 0,
        metrics: { conversion: { count: 40, successes: 3 } },
      });
    } finally {
      stats.serve(STATS);
      await dark.close();
    }
  });

  it("refuses {{ elapsed }} before fetching anything", async () => {
    const err = await failure(
      spec([
        conversion('sum(increase(visits_total{version="{{ version }}"}[{{ elapsed }}]))', ORDERS),
      ]),
    );
    expect(isTemplateError(err)).toBe(true);
    expect((err as Error).message).toBe(
      'query template of metric conversion: {{ elapsed }} has no meaning in a builtin query: its counts are cumulative since the series began (in "sum(increase(visits_total{version=\\"{{ version }}\\"}[{{ elapsed }}]))")',
    );
  });

  it("names an unknown placeholder and what the version knows", async () => {
    const err = await failure(spec([conversion('sum(visits_total{shop="{{ shop }}"})', ORDERS)]));
    expect(isTemplateError(err)).toBe(true);
    expect((err as Error).message).toBe(
      "query template of metric conversion: unknown placeholder {{ shop }} for version v1; known: version, name, elapsed, and its variables metricsUrl, region",
    );
  });

  it("refuses a filled query that is not a selector sum, naming metric, version and part", async () => {
    const err = await failure(spec([conversion(VISITS, "sum(orders_total) / 2")]));
    expect(isProviderError(err)).toBe(true);
    expect((err as Error).message).toBe(
      'query failed for metric conversion for version v1: the successes query: unexpected \'/\' at column 19 in "sum(orders_total) / 2"; builtin queries are selector sums like sum(orders_total{version="{{ version }}"}); use provider: prometheus for PromQL',
    );
  });

  it("refuses more successes than trials rather than capping them", async () => {
    const err = await failure(spec([conversion(ORDERS, VISITS)]));
    expect(isProviderError(err)).toBe(true);
    expect((err as Error).message).toBe(
      'query failed for metric conversion for version v1: the successes query gave 180, more than the count query\'s 21: sum(visits_total{version="v1"}) vs sum(orders_total{version="v1"})',
    );
  });

  it("names the version whose metrics page fails", async () => {
    apps.v2.serve("down for maintenance", 503);
    try {
      const err = await failure(spec([conversion(VISITS, ORDERS)]));
      expect(isProviderError(err)).toBe(true);
      expect((err as Error).message).toBe(
        `query failed for metric conversion for version v2: GET ${apps.v2.url}/metrics: HTTP 503: down for maintenance`,
      );
    } finally {
      apps.v2.serve(APP.v2);
    }
  });
});
