/**
 * Watches Experiments (one namespace or all) with a client-node informer. client-node 1.4 re-lists
 * by itself on 410 Gone but stops on any other watch error, a dropped connection included, so this
 * restarts it from the `error` handler with capped exponential backoff on the injected scheduler.
 */
import {
  ADD,
  DELETE,
  ERROR,
  type Informer,
  type KubernetesObject,
  makeInformer,
  type ObjectCache,
  UPDATE,
} from "@kubernetes/client-node";
import type { Logger } from "../log.js";
import type { Scheduler, Timer } from "./clock.js";
import { EXPERIMENTS, type ExperimentObject } from "./experiment-object.js";
import type { KubeApi } from "./kube-api.js";

export interface InformerHandlers {
  added(o: ExperimentObject): void;
  updated(o: ExperimentObject): void;
  deleted(o: ExperimentObject): void;
  /** Every (re)start that listed successfully. */
  started?(): void;
  error?(e: unknown): void;
}

const MAX_BACKOFF_MS = 30_000;

export class ExperimentInformer {
  private informer: (Informer<KubernetesObject> & ObjectCache<KubernetesObject>) | undefined;
  private failures = 0;
  private errors = 0;
  private timer: Timer | undefined;
  private stopped = false;
  private synced_ = false;
  private restart: Promise<void> = Promise.resolve();

  constructor(
    private readonly api: KubeApi,
    /** Undefined: every namespace. */
    private readonly namespace: string | undefined,
    private readonly scheduler: Scheduler,
    private readonly log: Logger,
    private readonly on: InformerHandlers,
  ) {}

  /** True once the first list has been delivered. */
  get synced(): boolean {
    return this.synced_;
  }

  /** Every experiment in the cache. */
  list(): ExperimentObject[] {
    return (this.informer?.list() ?? []) as unknown as ExperimentObject[];
  }

  async start(): Promise<void> {
    const { group, version, plural } = EXPERIMENTS;
    const ns = this.namespace;
    const path =
      ns === undefined
        ? `/apis/${group}/${version}/${plural}`
        : `/apis/${group}/${version}/namespaces/${ns}/${plural}`;
    const list = () =>
      (ns === undefined
        ? this.api.custom.listClusterCustomObject({ group, version, plural })
        : this.api.custom.listNamespacedCustomObject({
            group,
            version,
            plural,
            namespace: ns,
          })) as never;
    const inf = makeInformer<KubernetesObject>(this.api.kc, path, list);
    inf.on(ADD, (o) => this.on.added(o as unknown as ExperimentObject));
    inf.on(UPDATE, (o) => this.on.updated(o as unknown as ExperimentObject));
    inf.on(DELETE, (o) => this.on.deleted(o as unknown as ExperimentObject));
    inf.on(ERROR, (e) => this.failed(e));
    this.informer = inf;
    await this.run();
  }

  private async run(): Promise<void> {
    if (this.stopped || this.informer === undefined) return;
    const before = this.errors;
    try {
      // a failed list is reported through the error handler and start() still resolves
      await this.informer.start();
      if (this.errors !== before) return;
      this.failures = 0;
      this.synced_ = true;
      this.on.started?.();
    } catch (e) {
      this.failed(e);
    }
  }

  private failed(e: unknown): void {
    if (this.stopped) return;
    this.errors += 1;
    this.failures += 1;
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (this.failures - 1));
    this.log.warn("experiment watch failed; restarting", { error: String(e), retryInMs: delay });
    this.on.error?.(e);
    this.timer?.cancel();
    this.timer = this.scheduler.after(delay, () => {
      this.restart = this.run();
    });
  }

  /** Resolves when a restart in progress (if any) has listed and is watching again. */
  settled(): Promise<void> {
    return this.restart;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    await this.informer?.stop();
  }
}
