import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExperimentSpec } from "../../../controller/src/core/experiment/index.js";
import type { MeanObservation } from "../../../controller/src/core/observations.js";
import {
  type CollectRequest,
  collectRequestFor,
  isNoDataError,
  type MetricsProvider,
  NoDataError,
} from "../../../controller/src/providers/index.js";
import { checkoutSpec, expectedObservation, searchSpec } from "./expected.js";
import { runTraffic, type Traffic } from "./traffic.js";

/** A provider serving `exposition`, and the moment its data is complete. */
export interface Subject {
  provider: MetricsProvider;
  at?: Date;
  close(): Promise<void>;
}

/**
 * The contract every metrics provider keeps, run against each of them (Hono's `*.case.ts`): the
 * same traffic through the real filter gives the same Observations, counted independently here.
 */
export function providerContract(kind: string, setup: (exposition: string) => Promise<Subject>) {
  describe(`the ${kind} provider keeps the metrics provider contract`, () => {
    let traffic: Traffic;
    let subject: Subject;
    beforeAll(async () => {
      traffic = runTraffic();
      subject = await setup(traffic.exposition);
    }, 60_000);
    afterAll(async () => subject?.close());

    const request = (name: string, spec: ExperimentSpec, elapsedSeconds = 600): CollectRequest =>
      collectRequestFor(
        { name, spec },
        { elapsedSeconds, ...(subject.at === undefined ? {} : { at: subject.at }) },
      );
    const sampled = (experiment: string, version: string) =>
      traffic.primary.filter(
        (e) => e.experiment === experiment && e.version === version && e.sampled,
      );

    it("reports each split version's sampled requests, 5xx errors and latency buckets", async () => {
      const obs = await subject.provider.collect(request("checkout", checkoutSpec()));
      expect(obs.elapsedSeconds).toBe(600);
      expect(obs.versions.v1).toEqual(expectedObservation(sampled("checkout", "v1")));
      expect(obs.versions.v2).toEqual(expectedObservation(sampled("checkout", "v2")));
      // The traffic has every kind of case in it, so the comparison above says something.
      expect(obs.versions.v2?.errors).toBeGreaterThan(0);
      expect(obs.versions.v1?.latency?.counts.at(-1)).toBeGreaterThan(0);
      expect(traffic.primary.some((e) => e.version === "v1" && !e.sampled)).toBe(true);
    });

    it("assesses the mirrored version from its cluster's upstream stats alone", async () => {
      const obs = await subject.provider.collect(request("checkout", checkoutSpec()));
      const v3 = traffic.mirrored.filter((e) => e.version === "v3");
      expect(v3.length).toBeGreaterThan(0);
      expect(obs.versions.v3).toEqual(expectedObservation(v3));
    });

    it("reports a version whose series exist with no requests as zeros, not as missing data", async () => {
      const obs = await subject.provider.collect(request("search", searchSpec()));
      expect(obs.versions.canary?.requests).toBe(0);
      expect(obs.versions.canary?.errors).toBe(0);
      expect(obs.versions.canary?.metrics?.["latency-mean"]).toEqual({
        count: 0,
        sum: 0,
        sumSquares: 0,
      });
    });

    it("gives latency-mean with the exact count and sum, and a sum of squares no smaller than the real one", async () => {
      const obs = await subject.provider.collect(request("search", searchSpec()));
      const ex = sampled("search", "stable");
      const mean = obs.versions.stable?.metrics?.["latency-mean"] as MeanObservation | undefined;
      expect(mean?.count).toBe(ex.length);
      expect(mean?.sum).toBe(ex.reduce((a, e) => a + e.durationMs, 0));
      expect(mean?.sumSquares).toBeGreaterThanOrEqual(
        ex.reduce((a, e) => a + e.durationMs ** 2, 0),
      );
    });

    it("raises NoDataError naming the metric and version for an experiment the source never saw", async () => {
      const err = await subject.provider.collect(request("cart", checkoutSpec())).catch((e) => e);
      expect(isNoDataError(err)).toBe(true);
      expect(err).toBeInstanceOf(NoDataError);
      expect((err as NoDataError).metric).toBe("request-count");
      expect((err as NoDataError).version).toBe("v1");
      expect((err as Error).message).toBe(
        'no data for metric request-count for version v1: no series cohort_responses_total{cohort_experiment="cart",cohort_version="v1"} in the source yet',
      );
    });

    it("returns the same observations when collected twice with no new traffic", async () => {
      const req = request("checkout", checkoutSpec());
      const first = await subject.provider.collect(req);
      expect(await subject.provider.collect(req)).toEqual(first);
    });
  });
}
