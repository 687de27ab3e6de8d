import { readFileSync } from "node:fs";
import { type LogLevelName, LogLevels, type MetricType, Status } from "./abi.js";
import type { PendingHttpCall, RootContext } from "./contexts.js";
import { envImports } from "./env-imports.js";
import {
  HostUsageError,
  PluginConfigRejectedError,
  WasmInitError,
  WasmLoadError,
} from "./errors.js";
import { utf8 } from "./guest-memory.js";
import { HeaderMap } from "./header-map.js";
import { HttpStream } from "./http-stream.js";
import { checkModuleSurface, WASI_MODULES } from "./import-surface.js";
import { ManualClock } from "./manual-clock.js";
import { ENVOY_DEFAULT_BUCKETS, MetricStore } from "./metric-store.js";
import { renderPrometheus } from "./prometheus.js";
import {
  type CompiledRoutes,
  cohortRouteConfig,
  compileRoutes,
  type RouteConfig,
  validateRouteConfig,
} from "./route-table.js";
import { SeededRandom } from "./seeded-random.js";
import { istioTagSpecifier, TagExtractor } from "./tag-extractor.js";
import { wasiImports } from "./wasi-imports.js";
import { INITIALIZE_ALLOWED, type LogEntry, type VmEnvironment, WasmVm } from "./wasm-vm.js";

export interface EmulatorOptions {
  /** Path to a .wasm file, or its bytes. */
  wasm: string | Uint8Array;
  /** Plugin configuration: an object is JSON-encoded; a string or bytes are passed as they are. */
  pluginConfig?: unknown;
  /** VM configuration (`vm_config.configuration`). */
  vmConfig?: string;
  /** The root id (Istio's `pluginName`); default "cohort". */
  rootId?: string;
  /** What happens after a trap; default FAIL_CLOSE like Istio's WasmPlugin. */
  failStrategy?: "FAIL_OPEN" | "FAIL_CLOSE";
  clock?: ManualClock;
  /** Seed of WASI random_get. */
  randomSeed?: number;
  /** Istio `extraStatTags`: tag names turned into Prometheus labels. */
  extraStatTags?: string[];
  /** Histogram bucket bounds; default Envoy's. */
  histogramBuckets?: number[];
  /** "not-found" answers the foreign function clear_route_cache like Envoy < 1.33. */
  clearRouteCache?: "supported" | "not-found";
  /**
   * Whether a request-header change clears the route cache. Envoy does this for ABI 0.2.1 modules
   * (the default, true); 1.33+ stops doing it for newer ABIs.
   */
  headerChangeClearsRouteCache?: boolean;
  /** The route table; default {@link cohortRouteConfig}. */
  routes?: RouteConfig;
  /** Upstream clusters that exist (for proxy_http_call); default: any non-empty name. */
  clusters?: string[];
  /** Host log level (proxy_get_log_level; lower-level logs are dropped); default "trace". */
  logLevel?: LogLevelName;
  /** Environment variables the VM sees (Istio `vmConfig.env`). */
  env?: Record<string, string>;
}

export interface HistogramValue {
  count: number;
  sum: number;
  /** Cumulative counts per bucket bound, like Prometheus `_bucket{le=...}`. */
  buckets: { le: number; count: number }[];
}

export type MetricValue =
  | { name: string; type: "counter" | "gauge"; value: number }
  | { name: string; type: "histogram"; value: HistogramValue };

/** A response to a pending http call. */
export interface HttpCallReply {
  status?: number;
  headers?: [string, string][] | Record<string, string>;
  body?: string | Uint8Array;
  trailers?: [string, string][] | Record<string, string>;
}

function configBytes(c: unknown): Uint8Array {
  if (c === undefined) return new Uint8Array(0);
  if (c instanceof Uint8Array) return c;
  if (typeof c === "string") return utf8(c);
  return utf8(JSON.stringify(c));
}

function pairsOf(h: [string, string][] | Record<string, string> | undefined): [string, string][] {
  if (h === undefined) return [];
  return Array.isArray(h) ? h : Object.entries(h);
}

/**
 * A proxy-wasm 0.2.1 host that runs a module the way Envoy does, for tests and local mode
 * (see sidecar/README.md). Create it with {@link Emulator.start}.
 */
export class Emulator {
  readonly clock: ManualClock;
  private vm!: WasmVm;
  private root!: RootContext;
  private readonly metricStore: MetricStore;
  private readonly tags: TagExtractor;
  private readonly env: VmEnvironment;
  readonly routes: RouteConfig;
  private readonly compiledRoutes: CompiledRoutes;
  private readonly failOpen: boolean;

  private constructor(
    private readonly module: WebAssembly.Module,
    readonly opts: EmulatorOptions,
  ) {
    this.clock = opts.clock ?? new ManualClock();
    this.metricStore = new MetricStore(opts.histogramBuckets ?? ENVOY_DEFAULT_BUCKETS);
    this.tags = new TagExtractor((opts.extraStatTags ?? []).map(istioTagSpecifier));
    this.routes = validateRouteConfig(opts.routes ?? cohortRouteConfig());
    this.compiledRoutes = compileRoutes(this.routes);
    this.failOpen = opts.failStrategy === "FAIL_OPEN";
    const level = LogLevels.indexOf(opts.logLevel ?? "trace");
    this.env = {
      clock: this.clock,
      random: new SeededRandom(opts.randomSeed ?? 1),
      metrics: this.metricStore,
      logLevel: Math.max(level, 0),
      vmConfig: utf8(opts.vmConfig ?? ""),
      rootId: opts.rootId ?? "cohort",
      environ: Object.entries(opts.env ?? {}),
      clusters: opts.clusters ? new Set(opts.clusters) : undefined,
      clearRouteCache: opts.clearRouteCache ?? "supported",
      headerChangeClearsRouteCache: opts.headerChangeClearsRouteCache ?? true,
      sharedData: new Map(),
    };
  }

  /**
   * Loads the module like Envoy (link check, export check, `_initialize` with the startup
   * whitelist), creates the root context and configures it. Throws a WasmLoadError subclass naming
   * the missing import/export, WasmInitError when start-up traps, or PluginConfigRejectedError
   * (with the guest's error logs) when on_vm_start/on_configure refuse.
   */
  static async start(opts: EmulatorOptions): Promise<Emulator> {
    return Emulator.startSync(opts);
  }

  /** {@link Emulator.start} without the promise (module compilation is synchronous here). */
  static startSync(opts: EmulatorOptions): Emulator {
    let bytes: Uint8Array;
    try {
      bytes = typeof opts.wasm === "string" ? readFileSync(opts.wasm) : opts.wasm;
    } catch (e) {
      throw new WasmLoadError(`cannot read Wasm module ${String(opts.wasm)}`, { cause: e });
    }
    let module: WebAssembly.Module;
    try {
      module = new WebAssembly.Module(bytes);
    } catch (e) {
      throw new WasmLoadError("Failed to load Wasm code: not a valid module", { cause: e });
    }
    checkModuleSurface(module, bytes);
    const em = new Emulator(module, opts);
    em.vm = em.instantiate(em.env);
    const root = em.startPlugin(em.vm, configBytes(opts.pluginConfig));
    if (root === undefined) {
      throw new PluginConfigRejectedError(em.errorLogs(em.vm.logs, 0), {
        cause: em.vm.failure ? new WasmInitError(em.vm.failure) : undefined,
      });
    }
    em.root = root;
    return em;
  }

  private errorLogs(logs: LogEntry[], from: number): string[] {
    return logs
      .slice(from)
      .filter((l) => l.level === "error" || l.level === "critical")
      .map((l) => l.message);
  }

  /** A fresh VM of the module: instantiate, then `_initialize` (or `_start`) — WasmBase::startVm. */
  private instantiate(env: VmEnvironment): WasmVm {
    const vm = new WasmVm(env);
    const wasi = wasiImports(vm);
    const imports: WebAssembly.Imports = { env: envImports(vm) };
    for (const m of WASI_MODULES) imports[m] = wasi;
    let instance: WebAssembly.Instance;
    try {
      instance = new WebAssembly.Instance(this.module, imports);
    } catch (e) {
      throw new WasmInitError(`Failed to initialize Wasm code: ${(e as Error).message}`, {
        cause: e,
      });
    }
    vm.attach(instance);
    if (vm.has("_initialize")) {
      vm.callRestricted("_initialize", INITIALIZE_ALLOWED, undefined);
      if (vm.has("main")) vm.callRestricted("main", INITIALIZE_ALLOWED, undefined, 0, 0);
    } else if (vm.has("_start")) {
      vm.callRestricted("_start", INITIALIZE_ALLOWED, undefined);
    }
    if (vm.failed) throw new WasmInitError(`Failed to initialize Wasm code: ${vm.failure}`);
    return vm;
  }

  /**
   * ContextBase::onStart + onConfigure: a new root context, proxy_on_context_create(root, 0),
   * proxy_on_vm_start, proxy_on_configure. Undefined when either refuses or traps.
   */
  private startPlugin(vm: WasmVm, config: Uint8Array): RootContext | undefined {
    const root: RootContext = {
      kind: "root",
      id: vm.allocContextId(),
      pluginConfig: config,
      pluginConfigReadable: true,
      tickPeriodMs: 0,
      httpCallResponse: undefined,
      status: { code: Status.Ok, message: "" },
    };
    vm.contexts.set(root.id, root);
    vm.call("proxy_on_context_create", root, root.id, 0);
    root.pluginConfigReadable = false;
    const started = vm.has("proxy_on_vm_start")
      ? vm.call("proxy_on_vm_start", root, root.id, this.env.vmConfig.length)
      : 1;
    if (!started || vm.failed) return undefined;
    root.pluginConfigReadable = true;
    const configured = vm.has("proxy_on_configure")
      ? vm.call("proxy_on_configure", root, root.id, config.length)
      : 1;
    root.pluginConfigReadable = false;
    if (!configured || vm.failed) return undefined;
    return root;
  }

  /**
   * A new plugin configuration as Istio delivers it by ECDS. Envoy first validates it on a
   * throw-away clone of the VM (WasmHandleBase::canary); if that refuses, the old root context
   * keeps serving and this returns false. Otherwise the serving VM (globals intact) gets a new
   * root context that is configured, and the old one gets proxy_on_done / proxy_on_delete.
   */
  configure(pluginConfig: unknown): boolean {
    const config = configBytes(pluginConfig);
    const canaryEnv: VmEnvironment = {
      ...this.env,
      metrics: new MetricStore(this.metricStore.bucketBounds),
    };
    let canary: WasmVm;
    try {
      canary = this.instantiate(canaryEnv);
    } catch {
      return false;
    }
    const ok = this.startPlugin(canary, config) !== undefined;
    this.vm.logs.push(...canary.logs);
    if (!ok) return false;
    const old = this.root;
    const next = this.startPlugin(this.vm, config);
    if (next === undefined) {
      if (this.vm.failed) return false;
      return false;
    }
    this.root = next;
    // WasmBase::startShutdown: on_done false keeps the old root until it calls proxy_done.
    const done = this.vm.call("proxy_on_done", old, old.id);
    if (done === 0) {
      this.vm.pendingDone.add(old.id);
    } else {
      this.vm.call("proxy_on_delete", old, old.id);
      this.vm.contexts.delete(old.id);
    }
    return true;
  }

  /** Opens an HTTP stream on the serving root context. */
  stream(): HttpStream {
    return new HttpStream({
      vm: this.vm,
      routes: this.compiledRoutes,
      failOpen: this.failOpen,
      servingRoot: () => this.root,
    });
  }

  /** Guest log lines at or above `minLevel` (default: all). */
  logs(minLevel: LogLevelName = "trace"): { level: LogLevelName; message: string }[] {
    const min = LogLevels.indexOf(minLevel);
    return this.vm.logs
      .filter((l) => LogLevels.indexOf(l.level) >= min)
      .map(({ level, message }) => ({ level, message }));
  }

  /** Forgets the captured logs (long runs). */
  clearLogs(): void {
    this.vm.logs.length = 0;
  }

  private stat(type: MetricType, name: string) {
    return this.metricStore.find(type, name);
  }

  /** A counter by the name the guest defined (without `wasmcustom.`). */
  counter(name: string): number | undefined {
    return this.stat("counter", name)?.value;
  }

  gauge(name: string): number | undefined {
    return this.stat("gauge", name)?.value;
  }

  histogram(name: string): HistogramValue | undefined {
    const s = this.stat("histogram", name);
    if (!s) return undefined;
    return this.histogramValue(s.bucketCounts, s.sum, s.value);
  }

  private histogramValue(counts: number[], sum: number, count: number): HistogramValue {
    let acc = 0;
    const buckets = this.metricStore.bucketBounds.map((le, i) => {
      acc += counts[i] ?? 0;
      return { le, count: acc };
    });
    return { count, sum, buckets };
  }

  /** Every metric the guest defined, by its raw name, in definition order. */
  metrics(): MetricValue[] {
    return this.metricStore.stats().map((s) =>
      s.type === "histogram"
        ? {
            name: s.name,
            type: "histogram",
            value: this.histogramValue(s.bucketCounts, s.sum, s.value),
          }
        : { name: s.name, type: s.type, value: s.value },
    );
  }

  /** What Envoy's admin `/stats/prometheus` prints for the Wasm metrics. */
  prometheus(): string {
    return renderPrometheus(this.metricStore.stats(), this.tags, this.metricStore.bucketBounds);
  }

  /** Http calls the plugin made that have not been answered yet. */
  httpCalls(): PendingHttpCall[] {
    return [...this.vm.httpCalls.values()];
  }

  /**
   * Answers an http call: proxy_on_http_call_response on the root context that made it, with the
   * response's maps and body readable during the callback. "reset" is Envoy's onHttpCallFailure:
   * zero headers/body/trailers and proxy_get_status → BrokenConnection "reset".
   */
  respondToHttpCall(token: number, resp: HttpCallReply | "reset"): void {
    const call = this.vm.httpCalls.get(token);
    if (!call)
      throw new HostUsageError(`respondToHttpCall: no pending http call with token ${token}`);
    this.vm.httpCalls.delete(token);
    const root = this.vm.contexts.get(call.contextId);
    if (root?.kind !== "root") return;
    if (resp === "reset") {
      root.status = { code: Status.BrokenConnection, message: "reset" };
      this.vm.call("proxy_on_http_call_response", root, root.id, token, 0, 0, 0);
      return;
    }
    const headers = new HeaderMap([
      ...(resp.status !== undefined ? [[":status", String(resp.status)] as [string, string]] : []),
      ...pairsOf(resp.headers),
    ]);
    const body = typeof resp.body === "string" ? utf8(resp.body) : (resp.body ?? new Uint8Array(0));
    const trailers = new HeaderMap(pairsOf(resp.trailers));
    root.status = { code: Status.Ok, message: "" };
    root.httpCallResponse = { headers, body, trailers };
    this.vm.call(
      "proxy_on_http_call_response",
      root,
      root.id,
      token,
      headers.size,
      body.length,
      trailers.size,
    );
    root.httpCallResponse = undefined;
  }

  /** Fires proxy_on_tick on the serving root context if it asked for a tick period. */
  tick(): void {
    if (this.root.tickPeriodMs > 0) this.vm.call("proxy_on_tick", this.root, this.root.id);
  }

  /** The tick period the plugin asked for (ms; 0 = none). */
  get tickPeriodMs(): number {
    return this.root.tickPeriodMs;
  }

  /** True once the VM trapped (or otherwise failed); see {@link failure}. */
  get failed(): boolean {
    return this.vm.failed;
  }

  /** Why the VM failed, as Envoy logs it ("Function: proxy_on_request_headers failed: ..."). */
  get failure(): string | undefined {
    return this.vm.failure;
  }

  /** Id of the root context now serving. */
  get rootContextId(): number {
    return this.root.id;
  }

  /** A live view of the guest's linear memory (tests read what a probe module stored there). */
  memoryView(): Uint8Array {
    this.vm.mem.invalidate();
    return this.vm.mem.u8();
  }

  /** Size of the guest's linear memory in bytes. */
  memoryBytes(): number {
    return this.vm.mem.byteLength;
  }
}
