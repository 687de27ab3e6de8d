import { Agent } from "node:http";
import type { ClusterConfig } from "./sidecar-config.js";

/** An upstream cluster: its endpoint and a keep-alive connection pool (Envoy's HTTP/1 pool). */
export interface Upstream {
  config: ClusterConfig;
  name: string;
  host: string;
  port: number;
  agent: Agent;
}

export function createUpstream(config: ClusterConfig): Upstream {
  const u = new URL(config.url);
  return {
    config,
    name: config.name,
    host: u.hostname.replace(/^\[|\]$/g, ""),
    port: Number(u.port || 80),
    agent: new Agent({ keepAlive: true, maxSockets: 1024, scheduling: "lifo" }),
  };
}
