/**
 * Checks an observations document (the `--observations` file of `cohort analyze`, or what a metrics
 * provider returns) and returns it typed. Every problem names its field, e.g.
 * `versions.v2.latency.counts: expected 6 entries (one more than boundsMs), got 5`.
 */
import { CohortError } from "./errors.js";
import type {
  LatencyHistogram,
  MetricObservation,
  Observations,
  VersionObservation,
} from "./observations.js";
import { impossibleSumSquares } from "./stats/counts.js";
import { weightsProblems } from "./weights-check.js";

export class ObservationsError extends CohortError {
  override readonly name = "ObservationsError";
  constructor(
    readonly problems: string[],
    source?: string,
  ) {
    super(`invalid observations${source ? ` in ${source}` : ""}: ${problems.join("; ")}`);
  }
}

type Problems = string[];

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x);

function count(value: unknown, field: string, problems: Problems): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    problems.push(`${field}: expected a number ≥ 0, got ${JSON.stringify(value)}`);
    return 0;
  }
  return value;
}

function histogram(
  value: unknown,
  field: string,
  problems: Problems,
): LatencyHistogram | undefined {
  if (!isObject(value)) {
    problems.push(`${field}: expected an object with boundsMs and counts`);
    return undefined;
  }
  const { boundsMs, counts } = value;
  if (!Array.isArray(boundsMs) || !Array.isArray(counts)) {
    problems.push(`${field}: expected arrays boundsMs and counts`);
    return undefined;
  }
  const before = problems.length;
  boundsMs.forEach((b, i) => {
    if (typeof b !== "number" || !Number.isFinite(b) || b < 0)
      problems.push(`${field}.boundsMs[${i}]: expected a number ≥ 0, got ${JSON.stringify(b)}`);
    else if (i > 0 && b <= (boundsMs[i - 1] as number))
      problems.push(`${field}.boundsMs[${i}]: bounds must increase strictly`);
  });
  if (counts.length !== boundsMs.length + 1)
    problems.push(
      `${field}.counts: expected ${boundsMs.length + 1} entries (one more than boundsMs), got ${counts.length}`,
    );
  counts.forEach((c, i) => {
    count(c, `${field}.counts[${i}]`, problems);
  });
  return problems.length === before
    ? { boundsMs: boundsMs as number[], counts: counts as number[] }
    : undefined;
}

function metric(value: unknown, field: string, problems: Problems): MetricObservation | undefined {
  if (!isObject(value)) {
    problems.push(
      `${field}: expected an object with count and successes, or count, sum and sumSquares`,
    );
    return undefined;
  }
  const n = count(value.count, `${field}.count`, problems);
  if ("successes" in value) {
    const s = count(value.successes, `${field}.successes`, problems);
    if (s > n) problems.push(`${field}.successes: ${s} is more than count ${n}`);
    return { count: n, successes: s };
  }
  if ("sum" in value || "sumSquares" in value) {
    const finite = (x: unknown, f: string) => {
      if (typeof x !== "number" || !Number.isFinite(x)) {
        problems.push(`${f}: expected a number, got ${JSON.stringify(x)}`);
        return 0;
      }
      return x;
    };
    const sum = finite(value.sum, `${field}.sum`);
    const sumSquares = count(value.sumSquares, `${field}.sumSquares`, problems);
    const impossible = impossibleSumSquares(n, sum, sumSquares);
    if (impossible !== undefined) problems.push(`${field}.${impossible}`);
    return { count: n, sum, sumSquares };
  }
  problems.push(`${field}: expected successes (a rate) or sum and sumSquares (a mean)`);
  return undefined;
}

function version(value: unknown, field: string, problems: Problems): VersionObservation {
  if (!isObject(value)) {
    problems.push(`${field}: expected an object with requests and errors`);
    return { requests: 0, errors: 0 };
  }
  const requests = count(value.requests, `${field}.requests`, problems);
  const errors = count(value.errors, `${field}.errors`, problems);
  if (errors > requests)
    problems.push(`${field}.errors: ${errors} is more than requests ${requests}`);
  const out: VersionObservation = { requests, errors };
  if (value.latency !== undefined) {
    const h = histogram(value.latency, `${field}.latency`, problems);
    if (h) out.latency = h;
  }
  if (value.metrics !== undefined) {
    if (!isObject(value.metrics))
      problems.push(`${field}.metrics: expected an object by metric name`);
    else {
      const metrics: Record<string, MetricObservation> = {};
      for (const [name, m] of Object.entries(value.metrics)) {
        const parsed = metric(m, `${field}.metrics.${name}`, problems);
        if (parsed) metrics[name] = parsed;
      }
      out.metrics = metrics;
    }
  }
  return out;
}

/** `value` as {@link Observations}, or an {@link ObservationsError} listing every problem. */
export function parseObservations(value: unknown, source?: string): Observations {
  const problems: Problems = [];
  if (!isObject(value)) throw new ObservationsError(["expected a JSON object"], source);
  const elapsedSeconds = count(value.elapsedSeconds, "elapsedSeconds", problems);
  const out: Observations = { elapsedSeconds, versions: {} };
  if (value.currentWeights !== undefined) {
    if (!isObject(value.currentWeights))
      problems.push("currentWeights: expected an object by version");
    else {
      out.currentWeights = {};
      for (const [v, w] of Object.entries(value.currentWeights))
        out.currentWeights[v] = count(w, `currentWeights.${v}`, problems);
    }
  }
  if (!isObject(value.versions)) problems.push("versions: expected an object by version name");
  else
    for (const [name, v] of Object.entries(value.versions))
      out.versions[name] = version(v, `versions.${name}`, problems);
  // a version may be missing from `versions` (no data yet), so only analyze() knows which names
  // are unknown; the sum is checked here
  if (out.currentWeights !== undefined)
    problems.push(...weightsProblems(out.currentWeights, undefined, "currentWeights"));
  if (problems.length > 0) throw new ObservationsError(problems, source);
  return out;
}
