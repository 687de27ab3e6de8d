/**
 * Assesses one objective of one version at one look (pure): `pass`, `fail` or `undecided`, with
 * the estimate and its confidence sequence at the statement's α.
 * - rates (error-rate, custom rates): the beta-binomial CS against the limit;
 * - means (latency-mean, custom means): the normal-mixture CS (thin data: an infinite interval);
 * - quantiles (latency-p99 ≤ T): from the histogram's share of requests above T, never from an
 *   interpolated quantile; the quantile's own CS is reported beside it;
 * - request-count: the count itself, no uncertainty (an unmet minimum is undecided until the end).
 */
import { intersectIntervals } from "./assess-intersect.js";
import type { ObjectiveAssessment, Verdict } from "./assess-types.js";
import { formatNumber } from "./describe-format.js";
import { metricKind, type Objective, type ResolvedMetric } from "./experiment/index.js";
import type {
  MeanObservation,
  MetricObservation,
  RateObservation,
  VersionObservation,
} from "./observations.js";
import {
  type Interval,
  meanObjective,
  quantileConfidenceSequence,
  quantileObjective,
  rateObjective,
  statusFromInterval,
} from "./stats/index.js";

export interface AssessOptions {
  /** The statement's error level (its share of 1 − confidence). */
  alpha: number;
  /** The last look: an unmet request-count minimum fails instead of waiting. */
  final: boolean;
  /**
   * The same objective's assessment at the previous look, at the same α: its interval is
   * intersected with this one's (see assess-intersect.ts).
   */
  previous?: ObjectiveAssessment;
}

const isRate = (m: MetricObservation | undefined): m is RateObservation =>
  m !== undefined && "successes" in m;
const isMean = (m: MetricObservation | undefined): m is MeanObservation =>
  m !== undefined && "sum" in m;

/** The observation of a rate metric for a version, or undefined when there is none. */
export function rateOf(
  name: string,
  obs: VersionObservation | undefined,
): RateObservation | undefined {
  if (obs === undefined) return undefined;
  if (name === "error-rate") return { count: obs.requests, successes: obs.errors };
  const m = obs.metrics?.[name];
  return isRate(m) ? m : undefined;
}

/** The observation of a mean metric (latency-mean comes as `metrics["latency-mean"]`). */
export function meanOf(
  name: string,
  obs: VersionObservation | undefined,
): MeanObservation | undefined {
  const m = obs?.metrics?.[name];
  return isMean(m) ? m : undefined;
}

/** The quantile probability of a builtin quantile metric (0.99 for latency-p99). */
export function quantileLevel(metric: ResolvedMetric): number {
  return "builtin" in metric ? (metric.builtin.q ?? 0.5) : 0.5;
}

/** Worst-first: any fail fails, all pass passes, otherwise undecided. */
export function combineVerdicts(verdicts: Verdict[]): Verdict {
  if (verdicts.includes("fail")) return "fail";
  return verdicts.every((v) => v === "pass") ? "pass" : "undecided";
}

function limitsOf(o: Objective): { upperLimit?: number; lowerLimit?: number } {
  const limits: { upperLimit?: number; lowerLimit?: number } = {};
  if (o.upperLimit !== undefined) limits.upperLimit = o.upperLimit;
  if (o.lowerLimit !== undefined) limits.lowerLimit = o.lowerLimit;
  return limits;
}

function verdictReason(status: Verdict, what: string, interval: Interval, o: Objective): string {
  const range = `[${formatNumber(interval.lower)}, ${formatNumber(interval.upper)}]`;
  const limit =
    o.upperLimit !== undefined && o.lowerLimit !== undefined
      ? `[${formatNumber(o.lowerLimit)}, ${formatNumber(o.upperLimit)}]`
      : o.upperLimit !== undefined
        ? `≤ ${formatNumber(o.upperLimit)}`
        : `≥ ${formatNumber(o.lowerLimit ?? Number.NaN)}`;
  if (status === "pass") return `${what} is surely within ${limit}: its interval is ${range}.`;
  if (status === "fail") return `${what} is surely outside ${limit}: its interval is ${range}.`;
  return `${what} may or may not be ${limit}: its interval ${range} crosses the limit; more data is needed.`;
}

function base(o: Objective): Pick<ObjectiveAssessment, "metric" | "upperLimit" | "lowerLimit"> {
  return { metric: o.metric, ...limitsOf(o) };
}

function noData(o: Objective, why: string): ObjectiveAssessment {
  return { ...base(o), status: "undecided", value: null, reason: why };
}

/** Assesses `objective` (its metric already resolved) for a version's observations. */
export function assessObjective(
  objective: Objective,
  metric: ResolvedMetric,
  obs: VersionObservation | undefined,
  opts: AssessOptions,
): ObjectiveAssessment {
  const name = objective.metric;
  switch (metricKind(metric)) {
    case "count":
      return assessCount(objective, obs?.requests ?? 0, opts.final);
    case "rate": {
      const rate = rateOf(name, obs);
      if (rate === undefined) return noData(objective, `There are no observations of ${name}.`);
      if (rate.count === 0) return noData(objective, `${name} has no trials yet.`);
      const limits = limitsOf(objective);
      const current = rateObjective(rate, limits, { alpha: opts.alpha }).interval;
      const interval = intersectIntervals(current, opts.previous?.value);
      const status = statusFromInterval(interval, limits);
      return {
        ...base(objective),
        status,
        value: interval,
        reason: verdictReason(
          status,
          `${name} (${rate.successes} of ${rate.count})`,
          interval,
          objective,
        ),
      };
    }
    case "mean": {
      const mean = meanOf(name, obs);
      if (mean === undefined || mean.count === 0)
        return noData(
          objective,
          `There are no observations of ${name} (count, sum and sumSquares).`,
        );
      const limits = limitsOf(objective);
      const current = meanObjective(mean, limits, { alpha: opts.alpha }).interval;
      const interval = intersectIntervals(current, opts.previous?.value);
      const status = statusFromInterval(interval, limits);
      const reason = Number.isFinite(interval.upper - interval.lower)
        ? verdictReason(status, `${name} over ${mean.count} values`, interval, objective)
        : `${name} has only ${mean.count} values: too few for an interval, so it stays undecided.`;
      return { ...base(objective), status, value: interval, reason };
    }
    case "quantile":
      return assessQuantile(objective, quantileLevel(metric), obs, opts);
  }
}

function assessCount(o: Objective, requests: number, final: boolean): ObjectiveAssessment {
  const value = { estimate: requests, lower: requests, upper: requests };
  const tooMany = o.upperLimit !== undefined && requests > o.upperLimit;
  const tooFew = o.lowerLimit !== undefined && requests < o.lowerLimit;
  const status: Verdict = tooMany ? "fail" : tooFew ? (final ? "fail" : "undecided") : "pass";
  const reason = tooMany
    ? `${requests} requests is more than the limit ${formatNumber(o.upperLimit ?? 0)}.`
    : tooFew
      ? `${requests} requests is fewer than the minimum ${formatNumber(o.lowerLimit ?? 0)}${final ? " at the end of the experiment" : " so far"}.`
      : `${requests} requests is within the limits.`;
  return { ...base(o), status, value, reason };
}

function assessQuantile(
  o: Objective,
  q: number,
  obs: VersionObservation | undefined,
  opts: AssessOptions,
): ObjectiveAssessment {
  const h = obs?.latency;
  const total = h?.counts.reduce((a, b) => a + b, 0) ?? 0;
  if (h === undefined || total === 0)
    return noData(o, `There is no latency histogram with requests for ${o.metric} yet.`);
  // two limits are two statements read from two sequences: each gets half of the objective's α
  const both = o.upperLimit !== undefined && o.lowerLimit !== undefined;
  const alpha = both ? opts.alpha / 2 : opts.alpha;
  const value = intersectIntervals(
    quantileConfidenceSequence(h, q, { alpha }),
    opts.previous?.value,
  );
  const verdicts: Verdict[] = [];
  const reasons: string[] = [];
  let exceedance: Interval | null = null;
  if (o.upperLimit !== undefined) {
    // "p99 ≤ T" ⇔ "share above T ≤ 0.01": read from the share's interval (lower end at the bound
    // above T, upper end at the bound below it), never from an interpolated quantile
    const current = quantileObjective(h, q, o.upperLimit, { alpha }).exceedance;
    const above = intersectIntervals(current, opts.previous?.exceedance);
    exceedance = above;
    const status = statusFromInterval(above, { upperLimit: 1 - q });
    verdicts.push(status);
    const share = formatNumber(1 - q);
    const slower = `The share of requests slower than ${formatNumber(o.upperLimit)} ms`;
    const range = `[${formatNumber(above.lower)}, ${formatNumber(above.upper)}]`;
    reasons.push(
      status === "pass"
        ? `${slower} is surely below ${share}: ${range}.`
        : status === "fail"
          ? `${slower} is surely above ${share}: ${range}.`
          : `${slower}, ${range}, may be above or below ${share}; more data is needed.`,
    );
  }
  if (o.lowerLimit !== undefined) {
    const status = statusFromInterval(value, { lowerLimit: o.lowerLimit });
    verdicts.push(status);
    reasons.push(
      verdictReason(status, o.metric, value, { metric: o.metric, lowerLimit: o.lowerLimit }),
    );
  }
  const out: ObjectiveAssessment = {
    ...base(o),
    status: combineVerdicts(verdicts),
    value,
    reason: reasons.join(" "),
  };
  if (exceedance !== null) out.exceedance = exceedance;
  return out;
}
