/**
 * `npm run bench:decisions`: how our anytime-valid decisions (through the real `reconcile`, looking
 * every interval) compare with an Iter8-style point-estimate/P(best) rule, a Flagger-style
 * threshold check per interval and a fixed-horizon test sized for 80% power — in the same runs,
 * on the same simulated request streams (controller/src/sim). Seeded: the same command prints the
 * same tables. Progress goes to stderr, tables to stdout; recorded in docs/benchmarks.md.
 *
 *   npm run bench:decisions -- [--runs N] [--scenario NAME]... [--no-fleet]
 */
import { splitAlpha } from "../../controller/src/core/assess-alpha.js";
import { createSimulation } from "../../controller/src/sim/index.js";
import { parseArgs } from "./decisions/args.js";
import { type LookTiming, timeFleet } from "./decisions/fleet.js";
import { runFixedHorizon } from "./decisions/method-fixed-horizon.js";
import { runFlagger } from "./decisions/method-flagger.js";
import { runIter8 } from "./decisions/method-iter8.js";
import { runOurs } from "./decisions/method-ours.js";
import type { Outcome } from "./decisions/outcome.js";
import { rewardAblation } from "./decisions/reward-ablation.js";
import { CONFIDENCE, type DecisionScenario, scenarios } from "./decisions/scenarios.js";
import { type Summary, summarise, wilsonUpper } from "./decisions/summary.js";
import { markdownTable, pct, requests } from "./decisions/table.js";

const METHODS = [
  "ours (anytime-valid CS)",
  "Iter8-style",
  "Flagger-style",
  "fixed horizon",
  "ours, FixedSplit (even split)",
] as const;

/** The scenario's spec with a fixed even split instead of Progressive weights (reward scenarios). */
function fixedSplit(s: DecisionScenario): DecisionScenario {
  return { ...s, spec: { ...s.spec, deploymentPattern: "FixedSplit" } };
}

const hasReward = (s: DecisionScenario) => s.spec.criteria.reward !== undefined;

function runScenario(s: DecisionScenario, index: number, runs: number): Outcome[][] {
  const outcomes: Outcome[][] = METHODS.map(() => []);
  const t0 = Date.now();
  const every = Math.max(1, Math.floor(runs / 10));
  for (let r = 0; r < runs; r++) {
    const seed = 1_000_003 * (index + 1) + r;
    const sim = createSimulation(s.world, seed);
    outcomes[0]?.push(runOurs(s, sim, seed));
    outcomes[1]?.push(runIter8(s, sim, seed));
    if (s.flagger) outcomes[2]?.push(runFlagger(s, sim));
    outcomes[3]?.push(runFixedHorizon(s, sim));
    if (hasReward(s)) outcomes[4]?.push(runOurs(fixedSplit(s), sim, seed));
    if ((r + 1) % every === 0 || r + 1 === runs)
      process.stderr.write(
        `[${s.name}] ${r + 1}/${runs} runs, ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
      );
  }
  return outcomes;
}

function scenarioTable(s: DecisionScenario, summaries: (Summary | undefined)[]): string {
  const horizon = s.maxIterations * s.world.requestsPerInterval;
  const versions = Object.keys(s.world.versions).length;
  const fhTotal = s.fixedHorizon.perArm * versions;
  const mdeTotal = s.mdePerArm === undefined ? undefined : s.mdePerArm * versions;
  const times = (x: number, total: number | undefined) =>
    total === undefined ? "" : Number.isFinite(x) ? `${(x / total).toFixed(2)}×` : "—";
  const rows = METHODS.flatMap((m, i) => {
    const x = summaries[i];
    if (x === undefined)
      return i === 4 ? [] : [[m, "n/a", "", "", "", "", "", "", ...(mdeTotal ? [""] : [])]];
    const ratio = times(x.medianRequests, fhTotal);
    const row = [
      m,
      pct(x.right),
      pct(x.falseWinner),
      pct(x.falseRollback),
      pct(x.decided),
      requests(x.medianRequests, horizon),
      ratio,
      ...(mdeTotal === undefined ? [] : [times(x.medianRequests, mdeTotal)]),
      pct(x.worseShare),
    ];
    return [row];
  });
  const header = [
    "method",
    "right decision",
    "false winner",
    "false rollback",
    "decided",
    "median requests to decision",
    "÷ fixed-horizon sample at the true effect",
    ...(mdeTotal === undefined ? [] : ["÷ fixed-horizon sample at the 5% MDE"]),
    "traffic to worse version",
  ];
  return [
    `### ${s.name}: ${s.title}`,
    "",
    `${s.world.requestsPerInterval.toLocaleString("en-US")} requests per interval, ${s.maxIterations} intervals (horizon ${horizon.toLocaleString("en-US")} requests). ` +
      `Fixed horizon: ${s.fixedHorizon.perArm.toLocaleString("en-US")} per version (${fhTotal.toLocaleString("en-US")} in all), sized for ${s.fixedHorizon.sizedFor}.` +
      (mdeTotal === undefined
        ? ""
        : ` At the minimum detectable effect (5% → 5.25%, same α, 80% power): ${(s.mdePerArm ?? 0).toLocaleString("en-US")} per version (${mdeTotal.toLocaleString("en-US")} in all).`),
    "",
    markdownTable(
      header,
      rows,
      header.map((_, i) => i > 0),
    ),
  ].join("\n");
}

function main(): void {
  const all = scenarios();
  const args = parseArgs(
    process.argv.slice(2),
    all.map((s) => s.name),
  );
  const started = Date.now();
  console.log(
    `# Decisions benchmark — ${args.runs} runs per scenario, confidence ${CONFIDENCE}, seeded`,
  );
  console.log(`(${new Date().toISOString().slice(0, 10)}, Node ${process.version})\n`);
  const targets: string[] = [];
  all.forEach((s, index) => {
    if (!args.scenarios.includes(s.name)) return;
    const outcomes = runScenario(s, index, args.runs);
    const summaries = outcomes.map((o) => (o.length === 0 ? undefined : summarise(s, o)));
    console.log(scenarioTable(s, summaries));
    console.log("");
    if (s.name === "reward-10") {
      process.stderr.write("[reward-10] the reward CS variants on a fixed 50/50 split …\n");
      const split = splitAlpha(s.spec);
      const rows = rewardAblation(s, index, args.runs, split.alphaPerStatement, split.statements);
      const fhTotal = s.fixedHorizon.perArm * 2;
      console.log(
        `#### ${s.name}: what the reward's confidence sequence costs (fixed 50/50 split, same streams)\n`,
      );
      console.log(
        markdownTable(
          [
            "difference CS of conversion",
            "decided",
            "wrong sign",
            "median requests to decision",
            "÷ fixed-horizon sample",
          ],
          rows.map((r) => [
            r.name,
            pct(r.decided),
            pct(r.wrong),
            requests(r.medianRequests, s.maxIterations * s.world.requestsPerInterval),
            Number.isFinite(r.medianRequests) ? `${(r.medianRequests / fhTotal).toFixed(2)}×` : "—",
          ]),
          [false, true, true, true, true],
        ),
      );
      console.log("");
    }
    const ours = summaries[0] as Summary;
    const oursFixed = summaries[4];
    const fhTotal = s.fixedHorizon.perArm * Object.keys(s.world.versions).length;
    if (s.name === "a-a") {
      const k = Math.round(ours.falseWinner * ours.runs);
      targets.push(
        `A/A false winners ≤ ${pct(1 - CONFIDENCE)}: ${pct(ours.falseWinner)} (${k}/${ours.runs}; 95% upper bound ${pct(wilsonUpper(k, ours.runs))}) — ${ours.falseWinner <= 1 - CONFIDENCE ? "met" : "MISSED"}`,
      );
      if (oursFixed !== undefined) {
        const kf = Math.round(oursFixed.falseWinner * oursFixed.runs);
        targets.push(
          `A/A false winners ≤ ${pct(1 - CONFIDENCE)}, FixedSplit (pooled CS): ${pct(oursFixed.falseWinner)} (${kf}/${oursFixed.runs}; 95% upper bound ${pct(wilsonUpper(kf, oursFixed.runs))}) — ${oursFixed.falseWinner <= 1 - CONFIDENCE ? "met" : "MISSED"}`,
        );
      }
    }
    if (s.best !== null && s.fixedHorizon.sizedFor.includes("5.50%") && s.mdePerArm) {
      const mdeTotal = s.mdePerArm * Object.keys(s.world.versions).length;
      const share = (x: Summary | undefined) => {
        const r = (x?.medianRequests ?? Number.NaN) / mdeTotal;
        return Number.isFinite(r) ? `${(100 * r).toFixed(0)}%` : "undecided in most runs";
      };
      const met = (x: Summary | undefined) =>
        (x?.medianRequests ?? Number.NaN) / mdeTotal <= 0.6 ? "met" : "MISSED";
      const fixed = summaries[4];
      targets.push(
        `${s.name} (10% effect = 2× the 5% MDE): decision on ≤ 60% of the fixed-horizon sample at the MDE (${mdeTotal.toLocaleString("en-US")}): Progressive ${share(ours)} — ${met(ours)}; FixedSplit ${share(fixed)} — ${met(fixed)} (at the true effect: ${(ours.medianRequests / fhTotal).toFixed(2)}× and ${((fixed?.medianRequests ?? Number.NaN) / fhTotal).toFixed(2)}×)`,
      );
    }
    const flagger = summaries[2];
    if (s.bad.length > 0 && flagger !== undefined)
      targets.push(
        `${s.name}: less traffic to the bad candidate than Flagger's ramp: ${pct(ours.worseShare)} vs ${pct(flagger.worseShare)} — ${ours.worseShare < flagger.worseShare ? "met" : "MISSED"}`,
      );
  });
  if (args.fleet) {
    process.stderr.write("[fleet] timing 1000 experiments × 5 metrics …\n");
    const f = timeFleet();
    const row = (name: string, t: LookTiming) => [
      name,
      `${t.cpuMs.toFixed(0)} ms`,
      `${t.wallMs.toFixed(0)} ms`,
      `${((1000 * t.cpuMs) / f.experiments).toFixed(0)} µs`,
    ];
    console.log(
      "### Speed: 1000 experiments × 5 metrics through `reconcile` (one thread, best of 3)\n",
    );
    console.log(
      markdownTable(
        ["look", "CPU time", "wall time", "CPU per experiment"],
        [row("first (no status)", f.first), row("second (with stored status)", f.second)],
        [false, true, true, true],
      ),
    );
    console.log("");
    const worst = Math.max(f.first.cpuMs, f.second.cpuMs);
    targets.push(
      `1000 experiments × 5 metrics ≤ 1 s on one core: ${worst.toFixed(0)} ms of CPU — ${worst <= 1000 ? "met" : "MISSED"}`,
    );
  }
  console.log("### Targets (issue 3)\n");
  for (const t of targets) console.log(`- ${t}`);
  console.log(`\nTotal time ${((Date.now() - started) / 1000).toFixed(0)} s.`);
}

try {
  main();
} catch (e) {
  console.error(`bench:decisions: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(2);
}
