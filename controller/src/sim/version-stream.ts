import type {
  LatencyHistogram,
  MetricObservation,
  VersionObservation,
} from "../core/observations.js";
import type { Rng } from "../core/stats/index.js";
import { binomial, multinomialInto } from "./binomial.js";
import { SimulationInputError } from "./errors.js";
import type { MetricTruth, VersionTruth } from "./scenario.js";

/**
 * One version's requests as an endless, seeded sequence, drawn lazily in blocks and kept as prefix
 * sums. `observe(n)` is what the first `n` requests look like, cumulatively; every decision method
 * reading the same stream sees the same requests (common random numbers), however its weights
 * send traffic.
 *
 * Per block of B requests: errors ~ Binomial(B, errorRate); histogram ~ Multinomial(B, bucket
 * probabilities); a rate metric ~ Binomial(B, p); a mean metric's sum ~ Normal(Bμ, Bσ²) and its
 * sum of squares = sum²/B + σ²·χ²(B − 1) (exact for normal values).
 */
export class VersionStream {
  private readonly width: number;
  private readonly metricNames: string[];
  private readonly metricTruths: MetricTruth[];
  private readonly buckets: number;
  /** Prefix sums, `width` numbers per block boundary (row 0 is all zeros). */
  private prefix: Float64Array;
  private blocks = 0;
  private readonly scratch: number[];

  constructor(
    readonly truth: VersionTruth,
    readonly blockSize: number,
    private readonly rng: Rng,
  ) {
    if (!(Number.isInteger(blockSize) && blockSize >= 2))
      throw new SimulationInputError(`blockSize must be an integer ≥ 2, got ${blockSize}`);
    if (!(truth.errorRate >= 0 && truth.errorRate <= 1))
      throw new SimulationInputError(`errorRate must be in [0, 1], got ${truth.errorRate}`);
    if (truth.latency.probs.length !== truth.latency.boundsMs.length + 1)
      throw new SimulationInputError(
        "latency.probs must have one more entry than latency.boundsMs",
      );
    this.metricNames = Object.keys(truth.metrics ?? {});
    const defined = truth.metrics ?? {};
    this.metricTruths = this.metricNames.map((n) => defined[n] as MetricTruth);
    this.buckets = truth.latency.probs.length;
    // errors, buckets, then per metric: successes (rate) or sum and sumSquares (mean)
    this.width =
      1 + this.buckets + this.metricTruths.reduce((w, m) => w + (m.type === "rate" ? 1 : 2), 0);
    this.prefix = new Float64Array(this.width * 64);
    this.scratch = new Array<number>(this.buckets).fill(0);
  }

  /** The cumulative observation of the first `requests` requests (a multiple of the block size). */
  observe(requests: number): VersionObservation {
    if (!(Number.isInteger(requests) && requests >= 0 && requests % this.blockSize === 0))
      throw new SimulationInputError(
        `requests must be a non-negative multiple of the block size ${this.blockSize}, got ${requests}`,
      );
    const k = requests / this.blockSize;
    this.ensure(k);
    const row = k * this.width;
    const p = this.prefix;
    const latency: LatencyHistogram = {
      boundsMs: [...this.truth.latency.boundsMs],
      counts: Array.from({ length: this.buckets }, (_, i) => p[row + 1 + i] as number),
    };
    const out: VersionObservation = { requests, errors: p[row] as number, latency };
    if (this.metricNames.length > 0) {
      const metrics: Record<string, MetricObservation> = {};
      let col = 1 + this.buckets;
      this.metricTruths.forEach((m, i) => {
        const name = this.metricNames[i] as string;
        if (m.type === "rate") {
          metrics[name] = { count: requests, successes: p[row + col] as number };
          col += 1;
        } else {
          metrics[name] = {
            count: requests,
            sum: p[row + col] as number,
            sumSquares: p[row + col + 1] as number,
          };
          col += 2;
        }
      });
      out.metrics = metrics;
    }
    return out;
  }

  /** Blocks drawn so far (for tests and memory accounting). */
  get drawnBlocks(): number {
    return this.blocks;
  }

  private ensure(k: number): void {
    while (this.blocks < k) this.drawBlock();
  }

  private drawBlock(): void {
    const w = this.width;
    const need = (this.blocks + 2) * w;
    if (need > this.prefix.length) {
      const grown = new Float64Array(Math.max(need, this.prefix.length * 2));
      grown.set(this.prefix);
      this.prefix = grown;
    }
    const p = this.prefix;
    const from = this.blocks * w;
    const to = from + w;
    const b = this.blockSize;
    const rng = this.rng;
    p[to] = (p[from] as number) + binomial(rng, b, this.truth.errorRate);
    multinomialInto(rng, b, this.truth.latency.probs, this.scratch);
    for (let i = 0; i < this.buckets; i++)
      p[to + 1 + i] = (p[from + 1 + i] as number) + (this.scratch[i] as number);
    let col = 1 + this.buckets;
    for (const m of this.metricTruths) {
      if (m.type === "rate") {
        p[to + col] = (p[from + col] as number) + binomial(rng, b, m.p);
        col += 1;
      } else {
        const sum = b * m.mean + m.sd * Math.sqrt(b) * rng.normal();
        const squares = (sum * sum) / b + m.sd * m.sd * 2 * rng.gamma((b - 1) / 2);
        p[to + col] = (p[from + col] as number) + sum;
        p[to + col + 1] = (p[from + col + 1] as number) + squares;
        col += 2;
      }
    }
    this.blocks++;
  }
}
