/**
 * `cohort controller`: watches Experiments, syncs each one on its interval through a keyed queue
 * (one experiment's work never overlaps itself), keeps the WasmPlugins' `pluginConfig` in step
 * with the weights, and acts only while it holds the leader Lease. Stopping is graceful: the
 * informer stops, in-flight work finishes, the Lease is released.
 */
import { EventEmitter } from "node:events";
import { performance } from "node:perf_hooks";
import type { KubeConfig } from "@kubernetes/client-node";
import type { ReconcileOptions } from "../core/reconcile.js";
import { createLogger, type Logger } from "../log.js";
import type { Notifier } from "../notify/index.js";
import type { MetricsProvider } from "../providers/index.js";
import { type Clock, type Scheduler, systemTime, type Timer } from "./clock.js";
import { ControllerMetrics } from "./controller-metrics.js";
import { EventRecorder } from "./events.js";
import { ExperimentInformer } from "./experiment-informer.js";
import { type ExperimentObject, keyOf, splitKey } from "./experiment-object.js";
import { ExperimentSync, NotLeaderError } from "./experiment-sync.js";
import { type FilterCheck, filterCheck } from "./filter-check.js";
import { type Endpoints, serveEndpoints } from "./http-endpoints.js";
import { KeyedQueue } from "./keyed-queue.js";
import { KubeApi } from "./kube-api.js";
import { hasCode } from "./kube-errors.js";
import { type LeaderElectionOptions, LeaderElector } from "./leader-election.js";
import type { Promoter } from "./promoter.js";
import {
  type Refusal,
  type WasmPluginOptions,
  WasmPluginSync,
  wasmPluginOf,
} from "./wasm-plugin-sync.js";

export interface ControllerOptions {
  kubeConfig: KubeConfig;
  /** Watch one namespace; undefined: every namespace. */
  namespace?: string;
  provider: MetricsProvider;
  promoter: Promoter;
  /** This replica's name in the Lease and in Events. */
  identity: string;
  /** The Lease to lead with; `false` acts without one (a single replica, e.g. in development). */
  leaderElection: Omit<LeaderElectionOptions, "identity"> | false;
  wasmPlugin?: WasmPluginOptions;
  reconcile?: ReconcileOptions;
  /** Chat notifications on start, rollback and finish (once each; `notifierFromEnv`). */
  notifier?: Notifier;
  /** The filter's own check of a plugin config before it is written; default: filter/build/filter.wasm. */
  filterCheck?: FilterCheck;
  /** Serve /metrics, /healthz, /readyz on this port (0: any free one); undefined: no server. */
  port?: number;
  time?: Clock & Scheduler;
  log?: Logger;
}

export interface ControllerEvents {
  synced: [key: string];
  leading: [leading: boolean];
  "informer-error": [error: unknown];
  "informer-started": [];
  "sync-error": [key: string, error: unknown];
}

const PLUGIN_PREFIX = "wasmplugin:";

export class Controller {
  readonly metrics = new ControllerMetrics();
  readonly events = new EventEmitter<ControllerEvents>();
  private readonly api: KubeApi;
  private readonly time: Clock & Scheduler;
  private readonly log: Logger;
  private readonly queue: KeyedQueue;
  private readonly informer: ExperimentInformer;
  private readonly elector: LeaderElector | undefined;
  private readonly experiments: ExperimentSync;
  private readonly plugins: WasmPluginSync;
  private readonly recorder: EventRecorder;
  private readonly timers = new Map<string, Timer>();
  private readonly generations = new Map<string, number | undefined>();
  private readonly warnedMissing = new Set<string>();
  private readonly warnedRefused = new Set<string>();
  private endpoints: Endpoints | undefined;
  private stopping = false;

  constructor(private readonly opts: ControllerOptions) {
    this.api = new KubeApi(opts.kubeConfig);
    this.time = opts.time ?? systemTime;
    this.log = opts.log ?? createLogger({ component: "controller", identity: opts.identity });
    this.queue = new KeyedQueue((key, e) => this.failed(key, e));
    this.recorder = new EventRecorder(this.api, this.time, opts.identity, this.log);
    const check = opts.filterCheck ?? filterCheck();
    this.plugins = new WasmPluginSync(this.api, opts.wasmPlugin ?? {}, this.log, check);
    this.elector =
      opts.leaderElection === false
        ? undefined
        : new LeaderElector(
            this.api,
            { ...opts.leaderElection, identity: opts.identity },
            this.time,
            this.log,
            (leading) => this.leadershipChanged(leading),
          );
    this.experiments = new ExperimentSync({
      api: this.api,
      provider: opts.provider,
      promoter: opts.promoter,
      events: this.recorder,
      metrics: this.metrics,
      clock: this.time,
      log: this.log,
      canWrite: () => this.isLeader(),
      filterCheck: check,
      ...(opts.reconcile === undefined ? {} : { reconcile: opts.reconcile }),
      ...(opts.notifier === undefined ? {} : { notifier: opts.notifier }),
    });
    this.informer = new ExperimentInformer(this.api, opts.namespace, this.time, this.log, {
      added: (o) => this.seen(o, true),
      updated: (o) => this.seen(o, false),
      deleted: (o) => this.removed(o),
      started: () => this.events.emit("informer-started"),
      error: (e) => this.events.emit("informer-error", e),
    });
  }

  /** True while this replica may act: it leads (or runs without leader election). */
  isLeader(): boolean {
    return this.elector === undefined || this.elector.isLeader();
  }

  /** Ready once the informer has listed. */
  get ready(): boolean {
    return this.informer.synced;
  }

  /** The bound port of the HTTP endpoints, when serving. */
  get port(): number | undefined {
    return this.endpoints?.port;
  }

  async start(): Promise<void> {
    if (this.opts.port !== undefined)
      this.endpoints = await serveEndpoints(
        this.metrics.registry,
        () => this.ready,
        this.opts.port,
      );
    await this.informer.start();
    if (this.elector === undefined) this.leadershipChanged(true);
    else await this.elector.start();
  }

  /**
   * Resolves once no lease round, informer restart or sync is in progress (tests call it after
   * advancing their clock; each of these can start the others, hence the loop).
   */
  async idle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await this.elector?.settled();
      await this.informer.settled();
      await this.queue.idle();
    }
  }

  /**
   * Graceful stop: no new work, in-flight work finishes, the Lease is released, queued
   * notifications are delivered (or given up).
   */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.informer.stop();
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    await this.queue.idle();
    await this.elector?.stop();
    await this.opts.notifier?.idle();
    await this.endpoints?.close();
    this.log.info("controller stopped");
  }

  private leadershipChanged(leading: boolean): void {
    this.metrics.leader.set(leading ? 1 : 0);
    this.events.emit("leading", leading);
    if (!leading) {
      for (const t of this.timers.values()) t.cancel();
      this.timers.clear();
      return;
    }
    // a new leader resumes every experiment from its stored status and rewrites every config
    const namespaces = new Set<string>();
    for (const o of this.informer.list()) {
      this.enqueue(keyOf(o));
      namespaces.add(`${o.metadata.namespace}/${wasmPluginOf(o, this.plugins.defaultName)}`);
    }
    for (const p of namespaces) this.enqueuePlugin(p);
  }

  private seen(o: ExperimentObject, added: boolean): void {
    const key = keyOf(o);
    this.metrics.setPhase(key, o.status?.phase ?? "Pending");
    const generation = o.metadata.generation;
    const known = this.generations.has(key);
    const changed = this.generations.get(key) !== generation;
    this.generations.set(key, generation);
    // status-only updates are our own writes: the timer already knows the next look
    if (added || !known || changed || o.metadata.deletionTimestamp !== undefined) this.enqueue(key);
  }

  private removed(o: ExperimentObject): void {
    const key = keyOf(o);
    this.timers.get(key)?.cancel();
    this.timers.delete(key);
    this.generations.delete(key);
    this.metrics.forget(o.metadata.namespace, o.metadata.name);
    this.enqueuePlugin(`${o.metadata.namespace}/${wasmPluginOf(o, this.plugins.defaultName)}`);
  }

  private enqueue(key: string): void {
    if (this.stopping || !this.isLeader()) return;
    void this.queue.push(key, () => this.syncExperiment(key));
  }

  private enqueuePlugin(nsName: string): void {
    if (this.stopping || !this.isLeader()) return;
    void this.queue.push(`${PLUGIN_PREFIX}${nsName}`, () => this.syncPlugin(nsName));
  }

  private schedule(key: string, ms: number | undefined): void {
    this.timers.get(key)?.cancel();
    this.timers.delete(key);
    if (ms === undefined || this.stopping) return;
    this.timers.set(
      key,
      this.time.after(ms, () => {
        this.timers.delete(key);
        this.enqueue(key);
      }),
    );
  }

  private async syncExperiment(key: string): Promise<void> {
    if (!this.isLeader()) return;
    const { namespace, name } = splitKey(key);
    const started = performance.now();
    let outcome = "ok";
    try {
      const r = await this.experiments.sync(namespace, name);
      if (r.gone) {
        this.schedule(key, undefined);
        return;
      }
      this.schedule(key, r.againInMs);
      if (r.weightsChanged) {
        const o = this.informer.list().find((x) => keyOf(x) === key);
        const plugin =
          o === undefined ? this.plugins.defaultName : wasmPluginOf(o, this.plugins.defaultName);
        this.enqueuePlugin(`${namespace}/${plugin}`);
      }
    } catch (e) {
      outcome = "error";
      // retry in 30 s rather than hot-looping on a broken API server or metrics source
      this.schedule(key, 30_000);
      throw e;
    } finally {
      this.metrics.duration.observe({ outcome }, (performance.now() - started) / 1000);
      this.events.emit("synced", key);
    }
  }

  private async syncPlugin(nsName: string): Promise<void> {
    if (!this.isLeader()) return;
    const { namespace, name } = splitKey(nsName);
    for (let attempt = 1; ; attempt++) {
      try {
        const r = await this.plugins.sync(namespace, name, () => this.isLeader());
        if (r.outcome === "missing") await this.pluginMissing(namespace, name);
        for (const refusal of r.refused) await this.filterRefused(refusal);
        return;
      } catch (e) {
        if (!hasCode(e, 409) || attempt >= 5) throw e;
      }
    }
  }

  private async pluginMissing(namespace: string, name: string): Promise<void> {
    const message = `WasmPlugin ${namespace}/${name} does not exist: install it (deploy/istio) so the filter gets the weights`;
    this.log.warn("WasmPlugin missing", { wasmPlugin: `${namespace}/${name}` });
    for (const o of this.informer.list()) {
      const key = keyOf(o);
      if (o.metadata.namespace !== namespace || wasmPluginOf(o, this.plugins.defaultName) !== name)
        continue;
      if (this.warnedMissing.has(key)) continue;
      this.warnedMissing.add(key);
      await this.recorder.record(o, { reason: "WasmPluginMissing", type: "Warning", message });
    }
  }

  /** One Warning event per experiment and refusal: the filter would not take its config. */
  private async filterRefused({ experiment, message }: Refusal): Promise<void> {
    const seen = `${keyOf(experiment)}\n${message}`;
    if (this.warnedRefused.has(seen)) return;
    this.warnedRefused.add(seen);
    await this.recorder.record(experiment, { reason: "FilterRefused", type: "Warning", message });
  }

  private failed(key: string, e: unknown): void {
    if (e instanceof NotLeaderError) return;
    this.log.error("sync failed", { key, error: String(e) });
    this.events.emit("sync-error", key, e);
  }
}
