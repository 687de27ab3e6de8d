/**
 * What the controller tests share: the wire-level fake API server, a WasmPlugin installed the way
 * deploy/istio does, the test's ports (test-ports.ts), and controllers started on one manual clock.
 */
import {
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from "@kubernetes/client-node";
import { afterEach, beforeEach, vi } from "vitest";
import type { ExperimentSpec } from "../../../controller/src/core/experiment/index.js";
import { Controller, type ControllerOptions } from "../../../controller/src/kube/controller.js";
import type { Promoter } from "../../../controller/src/kube/promoter.js";
import { createLogger } from "../../../controller/src/log.js";
import type { MetricsProvider } from "../../../controller/src/providers/index.js";
import { FakeKubeApiServer } from "../../helpers/fake-kube/fake-kube-apiserver.js";
import type { KubeObject } from "../../helpers/fake-kube/resource-kinds.js";
import { spec } from "../core/scenario.js";
import { ManualClock } from "./manual-clock.js";

export * from "./test-ports.js";

export const NS = "shop";
export const LEASE_NS = "cohort-system";
export const EXP = { group: "cohort.dev", version: "v1alpha1", plural: "experiments" } as const;
/** The user the controllers' requests authenticate as (the Deployment's ServiceAccount). */
export const CONTROLLER_USER = "system:serviceaccount:cohort-system:cohort-controller";
export const merge = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

/** A Canary of v1 → v2 starting at 10 % that completes on its second look (increment 20, cap 50). */
export function canarySpec(over: Partial<ExperimentSpec> = {}): ExperimentSpec {
  return spec("Canary", {
    target: "shop/checkout",
    candidates: [{ name: "v2", weight: 10 }],
    weights: { maxCandidateWeight: 50, maxCandidateWeightIncrement: 20 },
    ...over,
  });
}

/** A fresh harness for every test of the file (handed to `set`), stopped after it. */
export function useHarness(set: (h: Harness) => void | Promise<void>): void {
  // minutes of manual time are hundreds of HTTP round trips: seconds on a busy machine
  vi.setConfig({ testTimeout: 30_000 });
  let h: Harness | undefined;
  beforeEach(async () => {
    h = await Harness.start();
    await set(h);
  });
  afterEach(async () => {
    await h?.stop();
  });
}

export class Harness {
  readonly clock = new ManualClock();
  readonly controllers: Controller[] = [];
  readonly logs: string[] = [];
  custom!: CustomObjectsApi;
  kc!: KubeConfig;

  private constructor(readonly fake: FakeKubeApiServer) {}

  static async start(): Promise<Harness> {
    const h = new Harness(await FakeKubeApiServer.start());
    h.kc = h.kubeConfig();
    h.custom = h.kc.makeApiClient(CustomObjectsApi);
    h.fake.seed({
      apiVersion: "extensions.istio.io/v1alpha1",
      kind: "WasmPlugin",
      metadata: { name: "cohort", namespace: NS },
      spec: {
        url: "oci://ghcr.io/cohort/filter:0.1.0",
        failStrategy: "FAIL_OPEN",
        pluginConfig: { experiments: [] },
      },
    });
    return h;
  }

  /** A kubeconfig for the fake; `user` names who the requests come from in its request log. */
  kubeConfig(user?: string): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromString(
      this.fake.kubeconfig({ namespace: NS, ...(user === undefined ? {} : { user }) }),
    );
    return kc;
  }

  /** Starts a controller on the harness clock (its own client, as another replica would have). */
  async controller(
    identity: string,
    ports: { provider: MetricsProvider; promoter: Promoter },
    over: Partial<ControllerOptions> = {},
  ): Promise<Controller> {
    const c = new Controller({
      kubeConfig: this.kubeConfig(CONTROLLER_USER),
      provider: ports.provider,
      promoter: ports.promoter,
      identity,
      leaderElection: { namespace: LEASE_NS, name: "cohort-controller" },
      time: this.clock,
      log: createLogger({ identity }, { write: (l) => this.logs.push(l), level: "debug" }),
      ...over,
    });
    this.controllers.push(c);
    await c.start();
    await c.idle();
    return c;
  }

  /** Creates an experiment and waits until `c` has synced it. */
  async create(
    c: Controller,
    name: string,
    s: ExperimentSpec,
    annotations?: Record<string, string>,
  ): Promise<void> {
    const synced = this.nextSync(c, name);
    await this.createExperiment(name, s, annotations);
    await synced;
  }

  async createExperiment(name: string, s: ExperimentSpec, annotations?: Record<string, string>) {
    await this.custom.createNamespacedCustomObject({
      ...EXP,
      namespace: NS,
      body: {
        apiVersion: "cohort.dev/v1alpha1",
        kind: "Experiment",
        metadata: { name, ...(annotations === undefined ? {} : { annotations }) },
        spec: s,
      },
    });
  }

  experiment(name: string): KubeObject & { status?: Record<string, unknown> } {
    const o = this.fake.object("experiments", NS, name);
    if (o === undefined) throw new Error(`no experiment ${name}`);
    return o as KubeObject & { status?: Record<string, unknown> };
  }

  /** Ids of the actions recorded in the experiment's status, in order. */
  actionIds(name: string): string[] {
    const list = (this.experiment(name).status?.actions ?? []) as { id: string }[];
    return list.map((a) => a.id);
  }

  /** The experiment's conditions as `{ type: "status/reason" }`. */
  conditions(name: string): Record<string, string> {
    const list = (this.experiment(name).status?.conditions ?? []) as {
      type: string;
      status: string;
      reason: string;
    }[];
    return Object.fromEntries(list.map((x) => [x.type, `${x.status}/${x.reason}`]));
  }

  pluginConfig(name = "cohort"): {
    experiments: { name: string; versions: { name: string; weight: number }[] }[];
  } {
    const p = this.fake.object("wasmplugins", NS, name) as { spec: { pluginConfig: never } };
    return p.spec.pluginConfig;
  }

  /** Event reasons recorded for an experiment, in order. */
  eventReasons(name: string): string[] {
    return this.fake
      .objects("events", NS)
      .filter((e) => (e.involvedObject as { name?: string }).name === name)
      .sort((a, b) => Number(a.metadata?.resourceVersion) - Number(b.metadata?.resourceVersion))
      .map((e) => String(e.reason));
  }

  statusPatches(name: string): number {
    return this.fake.requests(
      (r) =>
        r.verb === "patch" &&
        r.resource === "experiments" &&
        r.subresource === "status" &&
        r.name === name &&
        r.status === 200,
    ).length;
  }

  wasmPluginPatches(): number {
    return this.fake.requests(
      (r) => r.verb === "patch" && r.resource === "wasmplugins" && r.status === 200,
    ).length;
  }

  /**
   * Advances the clock a second at a time, waiting each time until every controller has finished
   * what that set off — as real time would let a Lease renewal finish before the next one is due.
   */
  async advance(ms: number, step = 1000): Promise<void> {
    for (let done = 0; done < ms; done += step) {
      this.clock.advance(Math.min(step, ms - done));
      for (const c of this.controllers) await c.idle();
    }
  }

  /**
   * Resolves after the next sync of `name` by `c` (and what it set off) has finished; call it
   * before the change that triggers the sync.
   */
  async nextSync(c: Controller, name: string): Promise<void> {
    const key = `${NS}/${name}`;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no sync of ${key} within 5 s`)), 5000);
      const on = (k: string) => {
        if (k !== key) return;
        clearTimeout(timer);
        c.events.off("synced", on);
        resolve();
      };
      c.events.on("synced", on);
    });
    await c.idle();
  }

  async stop(): Promise<void> {
    for (const c of this.controllers) await c.stop();
    await this.fake.stop();
  }
}
