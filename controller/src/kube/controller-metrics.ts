/**
 * The controller's own Prometheus metrics, one registry per controller (so two in one process,
 * as in tests, do not collide). Series:
 * - `cohort_controller_experiments{phase}`: experiments known, by phase;
 * - `cohort_controller_iterations_total{namespace,experiment}`: looks analysed;
 * - `cohort_controller_decisions_total{namespace,experiment,decision}`: rollback, winner, promote, complete, fail;
 * - `cohort_controller_weight{namespace,experiment,version}`: weight in force per version (percent);
 * - `cohort_controller_reconcile_duration_seconds`: one sync of one experiment (histogram);
 * - `cohort_controller_leader`: 1 while this replica leads.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";

export class ControllerMetrics {
  readonly registry = new Registry();
  private readonly phases = new Map<string, string>();
  private readonly versions = new Map<string, string[]>();
  readonly iterations: Counter<"namespace" | "experiment">;
  readonly decisions: Counter<"namespace" | "experiment" | "decision">;
  readonly weight: Gauge<"namespace" | "experiment" | "version">;
  readonly duration: Histogram<"outcome">;
  readonly leader: Gauge;

  constructor() {
    const registers = [this.registry];
    const phases = this.phases;
    new Gauge({
      name: "cohort_controller_experiments",
      help: "Experiments known to the controller, by phase",
      labelNames: ["phase"],
      registers,
      collect() {
        this.reset();
        const counts = new Map<string, number>();
        for (const p of phases.values()) counts.set(p, (counts.get(p) ?? 0) + 1);
        for (const [phase, n] of counts) this.set({ phase }, n);
      },
    });
    this.iterations = new Counter({
      name: "cohort_controller_iterations_total",
      help: "Looks analysed, per experiment",
      labelNames: ["namespace", "experiment"],
      registers,
    });
    this.decisions = new Counter({
      name: "cohort_controller_decisions_total",
      help: "Decisions taken, per experiment and kind",
      labelNames: ["namespace", "experiment", "decision"],
      registers,
    });
    this.weight = new Gauge({
      name: "cohort_controller_weight",
      help: "Traffic weight in force per version (percent)",
      labelNames: ["namespace", "experiment", "version"],
      registers,
    });
    this.duration = new Histogram({
      name: "cohort_controller_reconcile_duration_seconds",
      help: "Time to sync one experiment: read, collect, decide, write",
      labelNames: ["outcome"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.leader = new Gauge({
      name: "cohort_controller_leader",
      help: "1 while this replica holds the leader Lease",
      registers,
    });
  }

  /** Records an experiment's phase ("Unknown" before its first status); undefined forgets it. */
  setPhase(key: string, phase: string | undefined): void {
    if (phase === undefined) this.phases.delete(key);
    else this.phases.set(key, phase);
  }

  setWeights(namespace: string, experiment: string, weights: Record<string, number>): void {
    this.versions.set(`${namespace}/${experiment}`, Object.keys(weights));
    for (const [version, w] of Object.entries(weights))
      this.weight.set({ namespace, experiment, version }, w);
  }

  forget(namespace: string, experiment: string): void {
    this.setPhase(`${namespace}/${experiment}`, undefined);
    for (const version of this.versions.get(`${namespace}/${experiment}`) ?? [])
      this.weight.remove({ namespace, experiment, version });
    this.versions.delete(`${namespace}/${experiment}`);
  }
}
