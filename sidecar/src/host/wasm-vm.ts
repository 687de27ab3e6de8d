import { type LogLevelName, LogLevels, Status } from "./abi.js";
import type { Context, PendingHttpCall, RootContext, StreamContext } from "./contexts.js";
import { GuestMemory, utf8Length } from "./guest-memory.js";
import type { ManualClock } from "./manual-clock.js";
import type { MetricStore } from "./metric-store.js";
import type { SeededRandom } from "./seeded-random.js";

/** A line the guest logged (proxy_log, or WASI fd_write: stdout = info, stderr = error). */
export interface LogEntry {
  level: LogLevelName;
  message: string;
  contextId: number;
}

/** What the imports need from their surroundings; the Emulator supplies it. */
export interface VmEnvironment {
  clock: ManualClock;
  random: SeededRandom;
  metrics: MetricStore;
  logLevel: number;
  vmConfig: Uint8Array;
  rootId: string;
  environ: [string, string][];
  /** Known upstream clusters for proxy_http_call; undefined accepts any non-empty name. */
  clusters: Set<string> | undefined;
  clearRouteCache: "supported" | "not-found";
  headerChangeClearsRouteCache: boolean;
  sharedData: Map<string, { value: Uint8Array; cas: number }>;
}

/** Host calls allowed while `_initialize`/`_start` runs (WasmBase::startVm). */
export const INITIALIZE_ALLOWED = new Set([
  "env.proxy_log",
  "fd_write",
  "args_sizes_get",
  "args_get",
  "environ_sizes_get",
  "environ_get",
  "fd_prestat_get",
  "fd_prestat_dir_name",
  "clock_time_get",
  "random_get",
]);

/** Host calls allowed while the host's allocator call runs (WasmBase::allocMemory). */
export const MALLOC_ALLOWED = new Set(["env.proxy_log", "fd_write", "clock_time_get"]);

/** Thrown into the guest to trap it (V8::trap). */
export class HostTrap extends Error {
  override readonly name = "HostTrap";
}

type GuestFn = (...args: number[]) => number | bigint | undefined;

/**
 * One Wasm VM: the instance, its memory, the current and effective context, failure state and the
 * deferred after-call actions. Mirrors proxy-wasm-cpp-host's WasmBase + ContextBase plumbing.
 */
export class WasmVm {
  instance!: WebAssembly.Instance;
  mem!: GuestMemory;
  fns: Record<string, GuestFn> = {};
  failed = false;
  /**
   * Raised by proxy_send_local_response (WasmBase::stopNextIteration): the callback's result is
   * then read as a stop, whatever the filter returned.
   */
  stopIteration = false;
  failure: string | undefined;
  readonly logs: LogEntry[] = [];
  readonly contexts = new Map<number, Context>();
  nextContextId = 1;
  nextHttpCallId = 1;
  readonly httpCalls = new Map<number, PendingHttpCall>();
  /** Root contexts whose on_done returned false: they live until they call proxy_done. */
  readonly pendingDone = new Set<number>();
  readonly queues = new Map<number, { name: string; rootId: number; items: Uint8Array[] }>();
  private current: Context | undefined;
  private effective: Context | undefined;
  /** Host calls allowed right now; null = all. */
  restricted: Set<string> | null = null;
  private depth = 0;
  private afterCall: (() => void)[] = [];

  constructor(readonly env: VmEnvironment) {}

  attach(instance: WebAssembly.Instance): void {
    this.instance = instance;
    this.mem = new GuestMemory(instance.exports.memory as WebAssembly.Memory);
    for (const [k, v] of Object.entries(instance.exports)) {
      if (typeof v === "function") this.fns[k] = v as GuestFn;
    }
  }

  has(fn: string): boolean {
    return this.fns[fn] !== undefined;
  }

  /** contextOrEffectiveContext(): the context host calls act on. */
  ctx(): Context {
    const c = this.effective ?? this.current;
    if (!c) throw new HostTrap("host function called outside of any context");
    return c;
  }

  stream(): StreamContext | undefined {
    const c = this.effective ?? this.current;
    return c?.kind === "stream" ? c : undefined;
  }

  rootOf(c: Context): RootContext {
    return c.kind === "root" ? c : c.root;
  }

  setEffective(id: number): number {
    const c = this.contexts.get(id);
    if (!c) return Status.BadArgument;
    this.effective = c;
    return Status.Ok;
  }

  /** Traps the guest when a host call is not allowed now (V8::trap("restricted_callback")). */
  checkAllowed(name: string): void {
    // Every host call starts here; the guest may have grown memory before making it.
    this.mem.invalidate();
    if (this.restricted !== null && !this.restricted.has(name)) {
      throw new HostTrap(`restricted_callback: ${name} is not allowed here`);
    }
  }

  defer(action: () => void): void {
    this.afterCall.push(action);
  }

  /** Marks the VM failed (WasmVm::fail with FailState::RuntimeError). */
  fail(message: string): void {
    if (this.failed) return;
    this.failed = true;
    this.failure = message;
  }

  /**
   * Calls a guest export for a context, like cpp-host's wrapped functions: skipped when the VM has
   * failed or the export is absent (undefined), a trap fails the VM, and deferred actions run once
   * the outermost call returns (DeferAfterCallActions).
   */
  call(fn: string, ctx: Context | undefined, ...args: number[]): number | undefined {
    if (this.failed) return undefined;
    const f = this.fns[fn];
    if (!f) return undefined;
    const savedCurrent = this.current;
    const savedEffective = this.effective;
    this.current = ctx;
    this.effective = undefined;
    this.depth++;
    let result: number | undefined;
    try {
      const r = f(...args);
      result = typeof r === "bigint" ? Number(r) : (r ?? 0);
    } catch (e) {
      this.fail(`Function: ${fn} failed: ${e instanceof Error ? e.message : String(e)}`);
      result = undefined;
    } finally {
      this.mem.invalidate();
      this.depth--;
      this.current = savedCurrent;
      this.effective = savedEffective;
    }
    if (this.depth === 0 && this.afterCall.length > 0) {
      const actions = this.afterCall;
      this.afterCall = [];
      for (const a of actions) a();
    }
    return result;
  }

  /** Calls a guest export with a whitelist of host calls (startVm, allocMemory). */
  callRestricted(fn: string, allowed: Set<string>, ctx: Context | undefined, ...args: number[]) {
    const saved = this.restricted;
    this.restricted = allowed;
    try {
      return this.call(fn, ctx, ...args);
    } finally {
      this.restricted = saved;
    }
  }

  /** WasmBase::allocMemory: `malloc`, else `proxy_on_memory_allocate`; 0 on failure. */
  alloc(size: number): number {
    const f = (this.fns.malloc ?? this.fns.proxy_on_memory_allocate) as GuestFn;
    const saved = this.restricted;
    this.restricted = MALLOC_ALLOWED;
    try {
      const r = f(size);
      return Number(r ?? 0) >>> 0;
    } finally {
      this.mem.invalidate();
      this.restricted = saved;
    }
  }

  /** WasmBase::copyToPointerSize: empty data gives (0, 0); else guest-allocated copy. */
  copyOut(bytes: Uint8Array, ptrPtr: number, sizePtr: number): number {
    let p = 0;
    if (bytes.length > 0) {
      p = this.alloc(bytes.length);
      if (p === 0 || !this.mem.inBounds(p, bytes.length)) return Status.InvalidMemoryAccess;
      this.mem.writeBytes(p, bytes);
    }
    if (!this.mem.inBounds(ptrPtr, 4) || !this.mem.inBounds(sizePtr, 4)) {
      return Status.InvalidMemoryAccess;
    }
    this.mem.writeU32(ptrPtr, p);
    this.mem.writeU32(sizePtr, bytes.length);
    return Status.Ok;
  }

  /** copyOut for a string, written straight into guest memory (no intermediate bytes). */
  copyOutString(s: string, ptrPtr: number, sizePtr: number): number {
    const len = utf8Length(s);
    let p = 0;
    if (len > 0) {
      p = this.alloc(len);
      if (p === 0 || !this.mem.inBounds(p, len)) return Status.InvalidMemoryAccess;
      this.mem.writeString(p, s, len);
    }
    if (!this.mem.inBounds(ptrPtr, 4) || !this.mem.inBounds(sizePtr, 4)) {
      return Status.InvalidMemoryAccess;
    }
    this.mem.writeU32(ptrPtr, p);
    this.mem.writeU32(sizePtr, len);
    return Status.Ok;
  }

  log(level: number, message: string): void {
    const name = LogLevels[level];
    if (name === undefined) return;
    if (level < this.env.logLevel) return;
    this.logs.push({ level: name, message, contextId: (this.effective ?? this.current)?.id ?? 0 });
  }

  allocContextId(): number {
    return this.nextContextId++;
  }
}
