/**
 * Where the run's traffic goes and its weights are pushed: our own sidecar started for the run
 * (clusters from the versions' urls), or a sidecar already running, reached through its admin
 * port (`POST /plugin-config`, the stand-in for Istio's config push).
 */
import { startSidecar } from "../../../sidecar/src/proxy/sidecar.js";
import { describeError } from "../core/errors.js";
import type { ResolvedSpec } from "../core/experiment/index.js";
import { versionsOf } from "../core/experiment/index.js";
import type { PluginConfig } from "../core/plugin-config.js";
import type { Logger } from "../log.js";
import { DataPlaneError, LocalRunError } from "./errors.js";

export interface DataPlane {
  /** The proxy listener traffic goes to. */
  proxyUrl: string;
  adminUrl: string;
  /** The `/stats/prometheus` page the builtin provider reads. */
  statsUrl: string;
  /** True when the counters restart with the run (our own sidecar). */
  owned: boolean;
  /** Replaces the plugin config; throws DataPlaneError when it is refused or unreachable. */
  push(config: PluginConfig): Promise<void>;
  stop(): Promise<void>;
}

/** Version → url for the sidecar's clusters: the split's versions, then the dark mirror's. */
export function upstreamsOf(spec: ResolvedSpec): { name: string; url: string }[] {
  const out: { name: string; url: string }[] = [];
  const missing: string[] = [];
  versionsOf(spec).forEach((v, i) => {
    if (v.url === undefined)
      missing.push(i === 0 ? "spec.baseline.url" : `spec.candidates[${i - 1}].url`);
    else out.push({ name: v.name, url: v.url.replace(/\/$/, "") });
  });
  const mirror = spec.traffic?.mirror;
  if (mirror !== undefined) {
    const url = spec.sidecar?.mirrorUrl;
    if (url === undefined)
      missing.push(`spec.sidecar.mirrorUrl (for the dark version ${mirror.version})`);
    else out.push({ name: mirror.version, url: url.replace(/\/$/, "") });
  }
  if (missing.length > 0)
    throw new LocalRunError(
      `cohort run starts a sidecar in front of every version, so each needs a url: missing ${missing.join(", ")} (or pass --sidecar ADMIN_URL to use a running sidecar)`,
    );
  return out;
}

export async function startOwnSidecar(
  spec: ResolvedSpec,
  config: PluginConfig,
  log: Logger,
): Promise<DataPlane> {
  const upstreams = upstreamsOf(spec);
  const local = spec.sidecar ?? {};
  const sc = await startSidecar(
    {
      listeners: [{ name: "main", address: "127.0.0.1", port: local.port ?? 0 }],
      clusters: upstreams.map((u) => ({
        name: u.name,
        url: u.url,
        ...(local.connectTimeoutMs === undefined
          ? {}
          : { connectTimeoutMs: local.connectTimeoutMs }),
        ...(local.requestTimeoutMs === undefined
          ? {}
          : { requestTimeoutMs: local.requestTimeoutMs }),
      })),
      routes: {
        routingHeader: config.routingHeader,
        mirrorHeader: config.mirrorHeader,
        defaultCluster: spec.baseline.name,
      },
      plugin: { config },
      admin: { address: "127.0.0.1", port: local.adminPort ?? 0 },
      drainTimeoutMs: 2000,
    },
    { log },
  );
  return {
    proxyUrl: sc.url,
    adminUrl: sc.adminUrl,
    statsUrl: `${sc.adminUrl}/stats/prometheus`,
    owned: true,
    async push(next) {
      const r = sc.setPluginConfig(next);
      if (!r.ok) throw new DataPlaneError(`the sidecar refused the plugin config: ${r.error}`);
    },
    stop: () => sc.stop(),
  };
}

async function adminCall(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  } catch (e) {
    throw new DataPlaneError(`sidecar admin ${url}: ${describeError(e)}`, { cause: e });
  }
}

/** A running sidecar: its listener is read from `/config_dump`. */
export async function connectSidecar(adminUrl: string): Promise<DataPlane> {
  const admin = adminUrl.replace(/\/$/, "");
  const res = await adminCall(`${admin}/config_dump`);
  if (!res.ok) throw new DataPlaneError(`sidecar admin ${admin}/config_dump: HTTP ${res.status}`);
  const dump = (await res.json()) as {
    listeners?: { address?: string; boundPort?: number }[];
  };
  const first = dump.listeners?.[0];
  const host = first?.address?.includes(":") ? `[${first.address}]` : first?.address;
  return {
    proxyUrl: first === undefined ? "" : `http://${host}:${first.boundPort}`,
    adminUrl: admin,
    statsUrl: `${admin}/stats/prometheus`,
    owned: false,
    async push(next) {
      const r = await adminCall(`${admin}/plugin-config`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(next),
      });
      if (!r.ok)
        throw new DataPlaneError(
          `the sidecar at ${admin} refused the plugin config: HTTP ${r.status} ${(await r.text()).slice(0, 300)}`,
        );
    },
    stop: async () => {},
  };
}
