/**
 * Micro-benchmark of the statistics core: time per call of each function, and the analysis of
 * 1000 experiments × 5 metrics (issue 3's target: ≤ 1 s on one core). Prints a table.
 *
 *   npx tsx test/bench/stats.ts
 */
import {
  createRng,
  meanConfidenceSequence,
  meanDifferenceConfidenceSequence,
  meanObjective,
  probabilityBest,
  quantileConfidenceSequence,
  quantileObjective,
  rateAlwaysValidPValue,
  rateConfidenceSequence,
  rateDifferenceConfidenceSequence,
  rateObjective,
  topTwoThompsonShares,
} from "../../controller/src/core/stats/index.js";

/** Mean time per call in microseconds, after a warm-up, over at least `minMs` of work. */
function time(fn: (i: number) => unknown, minMs = 300): number {
  for (let i = 0; i < 200; i++) fn(i);
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 100; i++) fn(calls + i);
    calls += 100;
    elapsed = performance.now() - start;
  }
  return (elapsed * 1000) / calls;
}

const histogram = {
  boundsMs: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
  counts: [100, 900, 4000, 3000, 1500, 400, 80, 15, 4, 1, 0],
};
const rng = createRng(1);
const rateArms = [50, 55, 60, 48].map((s) => ({
  kind: "rate" as const,
  successes: s,
  trials: 1000,
}));
const latency = { count: 10_000, sum: 123_456, sumSquares: 2_345_678 };
const revenue = { count: 500, sum: 2000, sumSquares: 8500 };

const rows: [string, number][] = [
  [
    "rateConfidenceSequence (40 / 20,000)",
    time((i) =>
      rateConfidenceSequence({ successes: 40 + (i % 7), trials: 20_000 }, { alpha: 0.05 }),
    ),
  ],
  [
    "rateConfidenceSequence (1e7 / 1e9)",
    time((i) => rateConfidenceSequence({ successes: 1e7 + i, trials: 1e9 }, { alpha: 0.05 })),
  ],
  [
    "rateAlwaysValidPValue",
    time((i) => rateAlwaysValidPValue({ successes: 30 + (i % 5), trials: 1000 }, 0.01)),
  ],
  [
    "rateObjective",
    time((i) =>
      rateObjective(
        { successes: 40 + (i % 7), trials: 20_000 },
        { upperLimit: 0.01 },
        { alpha: 0.05 },
      ),
    ),
  ],
  [
    "meanConfidenceSequence",
    time((i) => meanConfidenceSequence({ ...latency, sum: latency.sum + i }, { alpha: 0.05 })),
  ],
  [
    "meanDifferenceConfidenceSequence",
    time((i) =>
      meanDifferenceConfidenceSequence(
        latency,
        { ...latency, sum: latency.sum + i },
        { alpha: 0.05 },
      ),
    ),
  ],
  [
    "rateDifferenceConfidenceSequence (split)",
    time((i) =>
      rateDifferenceConfidenceSequence(
        { successes: 50, trials: 1000 },
        { successes: 60 + (i % 9), trials: 1000 },
        { alpha: 0.05 },
      ),
    ),
  ],
  [
    "quantileObjective (10 buckets)",
    time((i) => quantileObjective(histogram, 0.99, 60 + (i % 50), { alpha: 0.05 })),
  ],
  [
    "quantileConfidenceSequence (10 buckets)",
    time((i) => quantileConfidenceSequence(histogram, 0.99 - (i % 5) / 100, { alpha: 0.05 })),
  ],
  [
    "probabilityBest (4 arms, 1000 draws)",
    time(() => probabilityBest(rateArms, { direction: "high", draws: 1000, rng })),
  ],
  [
    "topTwoThompsonShares (4 arms, 1000 draws)",
    time(() => topTwoThompsonShares(rateArms, { direction: "high", draws: 1000, rng })),
  ],
];

/**
 * 1000 experiments, each a baseline and a candidate with 5 metrics: error rate, p99 latency
 * (histogram) and mean latency as objectives per version, conversion (rate) and revenue (mean)
 * as rewards compared B − A. 8 statistics per experiment.
 */
function analyseFleet(experiments: number): number {
  const start = performance.now();
  for (let e = 0; e < experiments; e++) {
    for (let v = 0; v < 2; v++) {
      rateObjective(
        { successes: 40 + ((e + v) % 13), trials: 20_000 },
        { upperLimit: 0.01 },
        { alpha: 0.0125 },
      );
      quantileObjective(histogram, 0.99, 50 + (e % 40), { alpha: 0.0125 });
      meanObjective(
        { ...latency, sum: latency.sum + e + v },
        { upperLimit: 20 },
        { alpha: 0.0125 },
      );
    }
    rateDifferenceConfidenceSequence(
      { successes: 600 + (e % 11), trials: 20_000 },
      { successes: 640, trials: 20_000 },
      { alpha: 0.05 },
    );
    meanDifferenceConfidenceSequence(
      revenue,
      { ...revenue, sum: revenue.sum + e },
      { alpha: 0.05 },
    );
  }
  return performance.now() - start;
}
analyseFleet(200);
const fleet = Math.min(analyseFleet(1000), analyseFleet(1000), analyseFleet(1000));

console.log("| function | µs per call |");
console.log("| --- | ---: |");
for (const [name, us] of rows) console.log(`| ${name} | ${us.toFixed(2)} |`);
console.log(
  `| 1000 experiments × 5 metrics (8,000 statistics, best of 3) | ${(fleet * 1000).toFixed(0)} µs = ${fleet.toFixed(1)} ms |`,
);
