import type { Observations, VersionObservation } from "../core/observations.js";
import { createRng } from "../core/stats/index.js";
import { SimulationInputError } from "./errors.js";
import { DEFAULT_BLOCK_SIZE, type SimScenario } from "./scenario.js";
import { splitRequests } from "./traffic-split.js";
import { VersionStream } from "./version-stream.js";

/**
 * A seeded simulated world: one request stream per version, shared by every {@link Traffic}
 * ledger made from it, so several decision methods can be compared on the same requests.
 */
export interface Simulation {
  readonly scenario: SimScenario;
  /** Version names, baseline first. */
  readonly versions: string[];
  readonly blockSize: number;
  /** A fresh ledger at time 0 over the shared streams. */
  traffic(): Traffic;
}

/**
 * One method's view of the world: how many requests each version has served so far. Each
 * `serve` is one interval: the interval's requests are split by the weights in force and the
 * cumulative {@link Observations} at its end are returned (what the controller's look sees).
 */
export class Traffic {
  private readonly served: Record<string, number>;
  private interval = 0;
  private weights: Record<string, number>;

  constructor(
    private readonly sim: Simulation,
    private readonly streams: Record<string, VersionStream>,
  ) {
    this.served = Object.fromEntries(sim.versions.map((v) => [v, 0]));
    this.weights = Object.fromEntries(sim.versions.map((v, i) => [v, i === 0 ? 100 : 0]));
  }

  /** Intervals served so far. */
  get intervals(): number {
    return this.interval;
  }

  /** Requests served so far, by version. */
  get requests(): Readonly<Record<string, number>> {
    return this.served;
  }

  /** Requests served so far, all versions together. */
  get totalRequests(): number {
    return Object.values(this.served).reduce((a, b) => a + b, 0);
  }

  /** Serves one interval with `weights` (percentages) and returns the cumulative observations. */
  serve(weights: Record<string, number>): Observations {
    const split = splitRequests(
      this.sim.scenario.requestsPerInterval,
      weights,
      this.sim.versions,
      this.sim.blockSize,
    );
    for (const v of this.sim.versions) this.served[v] = (this.served[v] ?? 0) + (split[v] ?? 0);
    this.interval++;
    this.weights = { ...weights };
    return this.observations();
  }

  /** The cumulative observations now (nothing is drawn that was not served). */
  observations(): Observations {
    const versions: Record<string, VersionObservation> = {};
    for (const v of this.sim.versions)
      versions[v] = (this.streams[v] as VersionStream).observe(this.served[v] ?? 0);
    return {
      elapsedSeconds: this.interval * this.sim.scenario.intervalSeconds,
      currentWeights: { ...this.weights },
      versions,
    };
  }
}

/**
 * Builds the world for one seeded run. Each version's stream gets its own generator derived from
 * `seed`, so adding a version does not change the others' requests.
 *
 * @example const t = createSimulation(scenario, 7).traffic(); t.serve({ v1: 90, v2: 10 })
 */
export function createSimulation(scenario: SimScenario, seed: number): Simulation {
  const versions = Object.keys(scenario.versions);
  if (versions.length === 0) throw new SimulationInputError("versions must not be empty");
  if (!(scenario.intervalSeconds > 0))
    throw new SimulationInputError(`intervalSeconds must be > 0, got ${scenario.intervalSeconds}`);
  const blockSize = scenario.blockSize ?? DEFAULT_BLOCK_SIZE;
  const root = createRng(seed);
  const streams: Record<string, VersionStream> = {};
  for (const v of versions) {
    const streamSeed = root.int(0x7fffffff) * 4096 + root.int(4096);
    streams[v] = new VersionStream(
      scenario.versions[v] as NonNullable<(typeof scenario.versions)[string]>,
      blockSize,
      createRng(streamSeed),
    );
  }
  const sim: Simulation = {
    scenario,
    versions,
    blockSize,
    traffic: () => new Traffic(sim, streams),
  };
  return sim;
}
