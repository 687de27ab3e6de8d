import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { describeError } from "../../../controller/src/core/errors.js";
import { createLogger, type Logger } from "../../../controller/src/log.js";
import { Emulator } from "../host/index.js";
import { createAdminServer } from "./admin-server.js";
import { ClusterStats } from "./cluster-stats.js";
import { SidecarStartError } from "./errors.js";
import { parseSidecarConfig } from "./parse-config.js";
import { handleRequest } from "./proxy-handler.js";
import { requestIdGenerator } from "./request-id.js";
import { buildRouteTable } from "./route-table.js";
import { ShadowSender } from "./shadow.js";
import type { SidecarConfig } from "./sidecar-config.js";
import { PassThroughFilter, type StreamFilter, WasmStreamFilter } from "./stream-filter.js";
import { SystemClock } from "./system-clock.js";
import { unroutedVersions } from "./unrouted-versions.js";
import { createUpstream, type Upstream } from "./upstream.js";

/** A running sidecar (see docs/sidecar.md). */
export interface Sidecar {
  /** `http://address:port` of the first listener. */
  url: string;
  adminUrl: string;
  /** Bound ports: listeners by name, and the admin port. */
  ports: { listeners: Record<string, number>; admin: number };
  config: SidecarConfig;
  /** The Wasm host (undefined in pass-through mode): metrics, logs. */
  emulator: Emulator | undefined;
  stats: ClusterStats;
  /** ECDS stand-in: the new config validated on a canary, then served; refused → error. */
  setPluginConfig(config: unknown): { ok: true } | { ok: false; error: string };
  /** Stops accepting, drains in-flight requests (up to drainTimeoutMs), then closes. */
  stop(): Promise<void>;
}

export interface StartOptions {
  log?: Logger;
}

function listen(server: Server, port: number, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once("error", onError);
    server.listen(port, address, () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function hostPort(address: string, port: number): string {
  return `http://${address.includes(":") ? `[${address}]` : address}:${port}`;
}

function startEmulator(config: SidecarConfig): Emulator | undefined {
  const p = config.plugin;
  if (!p.enabled) return undefined;
  try {
    return Emulator.startSync({
      wasm: p.wasm,
      pluginConfig: p.config,
      failStrategy: p.failStrategy,
      extraStatTags: p.extraStatTags,
      histogramBuckets: p.histogramBuckets,
      rootId: p.rootId,
      routes: buildRouteTable(config.routes),
      clusters: config.clusters.map((c) => c.name),
      clock: new SystemClock(),
      logLevel: "info",
    });
  } catch (e) {
    throw new SidecarStartError(`plugin ${p.wasm}: ${describeError(e)}`, { cause: e });
  }
}

/**
 * Starts the sidecar: the plugin in the proxy-wasm host, one HTTP listener per `listeners` entry
 * and the admin listener. Accepts a checked SidecarConfig or raw sidecar.yaml content (checked
 * here; SidecarConfigError names the bad field).
 */
export async function startSidecar(input: unknown, opts: StartOptions = {}): Promise<Sidecar> {
  // Parsing is idempotent, so a SidecarConfig from loadSidecarConfig passes through unchanged.
  const config = parseSidecarConfig(input);
  const log = opts.log ?? createLogger({ component: "sidecar" });
  const em = startEmulator(config);
  const warnUnrouted = (pc: unknown) => {
    const missing = unroutedVersions(pc, config.routes);
    if (missing.length > 0) {
      log.warn("versions without a cluster in routes.versions go to the default cluster", {
        versions: missing,
        defaultCluster: config.routes.defaultCluster,
      });
    }
  };
  if (em) warnUnrouted(config.plugin.config);
  let pluginConfig = config.plugin.config;
  const stats = new ClusterStats(
    config.clusters.map((c) => c.name),
    config.plugin.histogramBuckets,
  );
  const clusters = new Map<string, Upstream>(
    config.clusters.map((c) => [c.name, createUpstream(c)]),
  );
  const shadows = new ShadowSender(stats, config.routes.shadowMaxInFlight);
  const guestLog = log.child({ source: "wasm" });
  const drainGuestLogs = () => {
    if (!em) return;
    const lines = em.logs();
    if (lines.length === 0) return;
    em.clearLogs();
    for (const l of lines) {
      const level = l.level === "critical" ? "error" : l.level === "trace" ? "debug" : l.level;
      guestLog[level](l.message);
    }
  };
  drainGuestLogs();
  const newFilter: () => StreamFilter = em
    ? () => new WasmStreamFilter(em)
    : () => new PassThroughFilter(config.routes);
  let inFlight = 0;
  let draining = false;
  let drained: (() => void) | undefined;
  const deps = {
    clusters,
    stats,
    shadows,
    newFilter,
    nextRequestId: requestIdGenerator(config.requestIdSeed),
    log: log.child({ log: "access" }),
    accessLog: config.accessLog,
    afterStream: drainGuestLogs,
  };
  const servers = config.listeners.map(() =>
    createServer({ keepAlive: true }, (req, res) => {
      inFlight++;
      res.once("close", () => {
        inFlight--;
        if (draining && inFlight === 0) drained?.();
      });
      try {
        handleRequest(req, res, deps);
      } catch (e) {
        log.error("request failed in the proxy", { error: describeError(e) });
        if (!res.headersSent) res.writeHead(500, { server: "envoy", "content-length": "0" });
        res.end();
      }
    }),
  );

  const setPluginConfig = (next: unknown): { ok: true } | { ok: false; error: string } => {
    if (!em) return { ok: false, error: "plugin.enabled is false: no plugin to configure" };
    drainGuestLogs();
    const accepted = em.configure(next);
    const errors = em
      .logs("error")
      .map((l) => l.message)
      .join("; ");
    drainGuestLogs();
    if (!accepted) {
      log.warn("plugin config refused; the previous one keeps serving", { error: errors });
      return { ok: false, error: errors || "plugin configuration rejected" };
    }
    pluginConfig = next;
    warnUnrouted(next);
    log.info("plugin config replaced", { rootContextId: em.rootContextId });
    return { ok: true };
  };

  const listenerPorts: Record<string, number> = {};
  const admin = createAdminServer({
    prometheus: () => (em ? em.prometheus() : "") + stats.prometheus(),
    ready: () => !draining,
    pluginConfig: () => pluginConfig,
    setPluginConfig,
    configDump: () => ({
      listeners: config.listeners.map((l) => ({ ...l, boundPort: listenerPorts[l.name] })),
      clusters: config.clusters,
      routes: config.routes,
      plugin: { ...config.plugin, config: pluginConfig },
      admin: config.admin,
      stats: { shadowsInFlight: shadows.active, requestsInFlight: inFlight },
    }),
  });
  const closeAll = async () => {
    await Promise.all(
      [...servers, admin].map(
        (s) => new Promise<void>((r) => (s.listening ? s.close(() => r()) : r())),
      ),
    );
  };
  let adminPort = 0;
  try {
    for (const [i, l] of config.listeners.entries()) {
      listenerPorts[l.name] = await listen(servers[i] as Server, l.port, l.address);
    }
    adminPort = await listen(admin, config.admin.port, config.admin.address);
  } catch (e) {
    await closeAll();
    throw new SidecarStartError(`cannot listen: ${(e as Error).message}`, { cause: e });
  }
  const first = config.listeners[0];
  const url = hostPort(first?.address ?? "127.0.0.1", listenerPorts[first?.name ?? ""] ?? 0);
  const adminUrl = hostPort(config.admin.address, adminPort);
  log.info("sidecar listening", {
    url,
    adminUrl,
    listeners: listenerPorts,
    plugin: em !== undefined,
  });

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      draining = true;
      const closed = Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
      for (const s of servers) s.closeIdleConnections();
      if (inFlight > 0) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, config.drainTimeoutMs);
          drained = () => {
            clearTimeout(t);
            resolve();
          };
        });
      }
      for (const s of servers) s.closeAllConnections();
      await closed;
      shadows.abortAll();
      for (const u of clusters.values()) u.agent.destroy();
      await new Promise<void>((r) => admin.close(() => r()));
      admin.closeAllConnections();
      drainGuestLogs();
      log.info("sidecar stopped");
    })();
    return stopping;
  };

  const sidecar: Sidecar = {
    url,
    adminUrl,
    ports: { listeners: listenerPorts, admin: adminPort },
    config,
    emulator: em,
    stats,
    setPluginConfig,
    stop,
  };
  return sidecar;
}
