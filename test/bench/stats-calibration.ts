/**
 * Reproduces the statistics digest's simulated numbers with our implementation, as a check that
 * the formulas are wired as published. Seeded; prints two tables.
 *
 *   npx tsx test/bench/stats-calibration.ts
 *
 * 1. Error rate against a 1% limit, α = 0.05, a look every 100 requests (up to 100,000): median
 *    requests to a decision and wrong decisions, Beta(0.5, 49.5) vs Beta(1, 1) priors.
 *    Digest: 0.5% → ≈2,600 vs 5,400; 2% → ≈1,200; 5% → ≈200; at 1% wrong pass 1.9%, fail 0.7%.
 * 2. Difference of means, asymptotic CS, N* = the fixed-horizon total for 80% power at the
 *    minimum detectable effect, a look every 1% of it: A/A false positives and median stopping
 *    point relative to the fixed-horizon sample. Digest: 3.6%; 0.95 (1×), 0.47 (1.5×),
 *    0.29 (2×), 0.16 (3×).
 */
import {
  createRng,
  fixedHorizonSampleSize,
  meanDifferenceConfidenceSequence,
  type Rng,
  rateObjective,
} from "../../controller/src/core/stats/index.js";

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function errorRateRun(rng: Rng, p: number, prior: { a: number; b: number }) {
  let s = 0;
  for (let t = 100; t <= 100_000; t += 100) {
    for (let i = 0; i < 100; i++) if (rng.next() < p) s++;
    const r = rateObjective(
      { successes: s, trials: t },
      { upperLimit: 0.01 },
      { alpha: 0.05, prior },
    );
    if (r.status !== "undecided") return { status: r.status, requests: t };
  }
  return { status: "undecided" as const, requests: Number.POSITIVE_INFINITY };
}

console.log("Error rate ≤ 1%, α = 0.05, a look every 100 requests (1000 runs each)\n");
console.log(
  "| true rate | prior | median requests to decide | wrong pass | wrong fail | undecided at 100k |",
);
console.log("| ---: | --- | ---: | ---: | ---: | ---: |");
for (const p of [0.005, 0.01, 0.02, 0.05]) {
  for (const [name, prior] of [
    ["Beta(0.5, 49.5)", { a: 0.5, b: 49.5 }],
    ["Beta(1, 1)", { a: 1, b: 1 }],
  ] as const) {
    const rng = createRng(1000 + p * 1e4);
    const runs = Array.from({ length: 1000 }, () => errorRateRun(rng, p, prior));
    const decided = runs.map((r) => r.requests);
    const wrongPass = runs.filter((r) => r.status === "pass" && p >= 0.01).length / runs.length;
    const wrongFail = runs.filter((r) => r.status === "fail" && p <= 0.01).length / runs.length;
    const open = runs.filter((r) => r.status === "undecided").length / runs.length;
    console.log(
      `| ${pct(p)} | ${name} | ${median(decided)} | ${pct(wrongPass)} | ${pct(wrongFail)} | ${pct(open)} |`,
    );
  }
}

const sd = 1;
const mde = 0.2;
const perArm = fixedHorizonSampleSize({ sd, delta: mde, alpha: 0.05, power: 0.8 });
const tuningN = 2 * perArm;
const batch = Math.max(1, Math.round(perArm / 100));

function meanDifferenceRun(rng: Rng, effect: number): number {
  const a = { count: 0, sum: 0, sumSquares: 0 };
  const b = { count: 0, sum: 0, sumSquares: 0 };
  for (let look = 1; look <= 500; look++) {
    for (let i = 0; i < batch; i++) {
      const x = sd * rng.normal();
      const y = effect + sd * rng.normal();
      a.count++;
      a.sum += x;
      a.sumSquares += x * x;
      b.count++;
      b.sum += y;
      b.sumSquares += y * y;
    }
    const d = meanDifferenceConfidenceSequence(a, b, { alpha: 0.05, tuningN });
    if (d.lower > 0 || d.upper < 0) return a.count / perArm;
  }
  return Number.POSITIVE_INFINITY;
}

console.log(
  `\nDifference of means, asymptotic CS, α = 0.05, MDE ${mde}σ: fixed horizon ${perArm} per arm, N* = ${tuningN}, a look every ${batch} per arm, up to 5× (2000 runs each)\n`,
);
console.log("| true effect | decided (by 5×) | median stop / fixed-horizon n |");
console.log("| ---: | ---: | ---: |");
for (const multiple of [0, 1, 1.5, 2, 3]) {
  const rng = createRng(77 + multiple * 10);
  const stops = Array.from({ length: 2000 }, () => meanDifferenceRun(rng, multiple * mde));
  const decided = stops.filter(Number.isFinite).length / stops.length;
  const label = multiple === 0 ? "0 (A/A: false positives)" : `${multiple}× MDE`;
  console.log(
    `| ${label} | ${pct(decided)} | ${multiple === 0 ? "—" : median(stops).toFixed(2)} |`,
  );
}
