import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BuiltinProvider,
  collectRequestFor,
  createProvider,
  isProviderError,
  isUnsupportedMetricError,
  PrometheusProvider,
} from "../../../controller/src/providers/index.js";
import { type ExpositionServer, startExpositionServer } from "../../helpers/prometheus-target.js";
import { ENVOY_PAGE, REVIEWS_CLUSTERS, reviewsSpec } from "./reviews.js";

describe("the builtin provider", () => {
  let server: ExpositionServer;
  let provider: BuiltinProvider;
  beforeAll(async () => {
    server = await startExpositionServer(ENVOY_PAGE);
    provider = new BuiltinProvider({ url: `${server.url}/stats/prometheus` });
  });
  afterAll(() => server.close());
  const collect = (spec = reviewsSpec()) =>
    provider.collect(
      collectRequestFor(
        { name: "reviews", spec },
        { elapsedSeconds: 60, clusters: REVIEWS_CLUSTERS },
      ),
    );

  it("reads an Envoy page: the split's versions from the filter, the dark one from its cluster", async () => {
    server.serve(ENVOY_PAGE);
    const obs = await collect();
    // Read off fixtures/envoy-istio-stats.prom: v1 and v2 count their sample's responses (2980 +
    // 6 and 990 + 9), not the 1200 requests outside the segment nor the 10 overrides; v3 its
    // cluster's completed requests (41 of 43 sent, 2 in flight), its 5xx class (4) rather than the
    // per-code series (503: 3 + 504: 1) on top of it, nor v1's cluster's 9.
    expect(obs).toEqual({
      elapsedSeconds: 60,
      versions: {
        v1: {
          requests: 2986,
          errors: 6,
          latency: { boundsMs: [0.5, 1, 5, 10, 25, 50], counts: [0, 0, 100, 800, 1600, 450, 36] },
        },
        v2: {
          requests: 999,
          errors: 9,
          latency: { boundsMs: [0.5, 1, 5, 10, 25, 50], counts: [0, 0, 300, 400, 250, 49, 0] },
        },
        v3: {
          requests: 41,
          errors: 4,
          latency: { boundsMs: [0.5, 1, 5, 10, 25, 50], counts: [0, 0, 2, 8, 20, 9, 2] },
        },
      },
    });
  });

  it("refuses a provider: prometheus metric by name, since only PromQL can compute it", async () => {
    const spec = reviewsSpec({
      criteria: { reward: { metric: "conversion", preferredDirection: "High" } },
      metrics: [
        { name: "conversion", type: "rate", provider: "prometheus", count: "a", successes: "b" },
      ],
    });
    const err = await collect(spec).catch((e) => e);
    expect(isUnsupportedMetricError(err)).toBe(true);
    expect((err as Error).message).toBe(
      "metric conversion cannot come from the builtin provider: it is a PromQL metric (provider: prometheus); read it with the prometheus provider (cohort run --prometheus URL)",
    );
  });

  it("reports an HTTP error from the stats endpoint with its status and body", async () => {
    server.serve("admin is overloaded", 503);
    const err = await collect().catch((e) => e);
    server.serve(ENVOY_PAGE);
    expect(isProviderError(err)).toBe(true);
    expect((err as Error).message).toBe(
      `query failed for metric request-count, error-rate and latency: GET ${server.url}/stats/prometheus: HTTP 503: admin is overloaded`,
    );
  });

  it("reports a page that is not valid exposition with the line at fault", async () => {
    server.serve('# TYPE x counter\nx{a="1" 2\n');
    const err = await collect().catch((e) => e);
    server.serve(ENVOY_PAGE);
    expect((err as Error).message).toBe(
      `query failed for metric request-count, error-rate and latency: GET ${server.url}/stats/prometheus: line 2 of the exposition: expected ',' or '}' at column 9: x{a="1" 2`,
    );
  });

  it("reports an unreachable endpoint with the connection's own error as the cause", async () => {
    const gone = await startExpositionServer();
    await gone.close();
    const err = await new BuiltinProvider({ url: `${gone.url}/stats/prometheus` })
      .collect(collectRequestFor({ name: "reviews", spec: reviewsSpec() }, { elapsedSeconds: 1 }))
      .catch((e) => e);
    expect((err as Error).message).toBe(
      `query failed for metric request-count, error-rate and latency: GET ${gone.url}/stats/prometheus: fetch failed (connect ECONNREFUSED ${gone.target})`,
    );
    expect((err as Error).cause).toBeInstanceOf(Error);
  });
});

describe("the builtin provider's time limits", () => {
  let silent: Server;
  let url: string;
  beforeAll(async () => {
    // Accepts connections and never answers: a stuck admin port.
    silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/stats/prometheus`;
  });
  afterAll(async () => {
    silent.closeAllConnections();
    await new Promise((r) => silent.close(r));
  });
  const req = () =>
    collectRequestFor({ name: "reviews", spec: reviewsSpec() }, { elapsedSeconds: 1 });

  it("gives up on a stuck endpoint after its timeout, naming the wait", async () => {
    const err = await new BuiltinProvider({ url, timeoutMs: 150 }).collect(req()).catch((e) => e);
    expect(isProviderError(err)).toBe(true);
    expect((err as Error).message).toBe(
      `query failed for metric request-count, error-rate and latency: GET ${url}: timed out after 150 ms`,
    );
  });

  it("stops when the caller cancels and rethrows the caller's reason", async () => {
    const cancel = new AbortController();
    const pending = new BuiltinProvider({ url }).collect({ ...req(), signal: cancel.signal });
    cancel.abort(new Error("controller shutting down"));
    await expect(pending).rejects.toThrow(new Error("controller shutting down"));
  });
});

describe("createProvider", () => {
  it("builds each kind and refuses an unknown one, listing the known", () => {
    expect(createProvider("builtin", { url: "http://x" })).toBeInstanceOf(BuiltinProvider);
    expect(createProvider("prometheus", { url: "http://x" })).toBeInstanceOf(PrometheusProvider);
    expect(() => createProvider("datadog", { url: "http://x" })).toThrow(
      'unknown metrics provider "datadog": expected one of builtin, prometheus',
    );
  });
});
