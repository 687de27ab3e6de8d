import { createLogger } from "../../../controller/src/log.js";
import { type Sidecar, startSidecar } from "../../../sidecar/src/proxy/sidecar.js";
import { type Reply, send, startUpstream, type TestUpstream } from "./upstream-fixture.js";

export const HOST = "checkout.shop.svc.cluster.local";

/** An experiment on HOST: wakanda users split v1/v2 by weight, `mirror` percent copied to v3. */
export function checkoutConfig(w1 = 50, w2 = 50, mirror = 0) {
  return {
    routingHeader: "x-cohort-version",
    mirrorHeader: "x-cohort-mirror",
    experiments: [
      {
        name: "checkout",
        hosts: [HOST],
        segment: { all: [{ header: "x-country", exact: "wakanda" }] },
        stickyKey: ["header:x-user-id"],
        baseline: "v1",
        versions: [
          { name: "v1", weight: w1 },
          { name: "v2", weight: w2 },
        ],
        ...(mirror > 0 ? { mirror: { version: "v3", percent: mirror } } : {}),
        salt: "checkout",
      },
    ],
  };
}

export interface Harness {
  sidecar: Sidecar;
  up: Record<"v1" | "v2" | "v3", TestUpstream>;
  logs: string[];
  /** A request from user `id` of `country` (default wakanda) to HOST. */
  user(id: string, extra?: Record<string, string>, country?: string): Promise<Reply>;
  close(): Promise<void>;
}

/** Three versions' upstreams and a sidecar in front of them; `sidecar` overrides the yaml. */
export async function startHarness(
  pluginConfig: unknown,
  sidecar: Record<string, unknown> = {},
  clusterExtra: Record<string, Record<string, unknown>> = {},
): Promise<Harness> {
  const up = {
    v1: await startUpstream("v1"),
    v2: await startUpstream("v2"),
    v3: await startUpstream("v3"),
  };
  const logs: string[] = [];
  const sc = await startSidecar(
    {
      clusters: Object.values(up).map((u) => ({
        name: u.name,
        url: u.url,
        ...(clusterExtra[u.name] ?? {}),
      })),
      routes: { defaultCluster: "v1" },
      plugin: { config: pluginConfig },
      requestIdSeed: 7,
      ...sidecar,
    },
    { log: createLogger({}, { write: (l) => logs.push(l), level: "debug" }) },
  );
  return {
    sidecar: sc,
    up,
    logs,
    user: (id, extra = {}, country = "wakanda") =>
      send(sc.url, { headers: { host: HOST, "x-country": country, "x-user-id": id, ...extra } }),
    close: async () => {
      await sc.stop();
      for (const u of Object.values(up)) await u.close();
    },
  };
}

/** The version an upstream answered with (`version=v2 bytes=0` → "v2"). */
export function servedBy(r: Reply): string {
  return /^version=(\S+)/.exec(r.body)?.[1] ?? `status ${r.status}: ${r.body}`;
}

/** The value of one Prometheus series (exact label set), or undefined when absent. */
export function series(text: string, name: string, labels: Record<string, string> = {}) {
  const want = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(",");
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = (m[2] as string)
      .split(/,(?=[a-zA-Z_]+=")/)
      .filter(Boolean)
      .sort()
      .join(",");
    if (got === want) return Number(m[3]);
  }
  return undefined;
}
