import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

/** What the admin endpoints read and change. */
export interface AdminTarget {
  prometheus(): string;
  ready(): boolean;
  configDump(): unknown;
  pluginConfig(): unknown;
  /** Replaces the plugin config; resolves to an error message when refused. */
  setPluginConfig(config: unknown): { ok: true } | { ok: false; error: string };
}

const MAX_BODY = 4 << 20;

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, "application/json", `${JSON.stringify(value, null, 2)}\n`);
}

function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        resolve(undefined);
        req.resume();
        return;
      }
      parts.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

async function handle(t: AdminTarget, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? "/", "http://admin").pathname;
  const method = req.method ?? "GET";
  if (path === "/stats/prometheus" && method === "GET") {
    send(res, 200, "text/plain; version=0.0.4; charset=utf-8", t.prometheus());
  } else if (path === "/ready" && method === "GET") {
    // Envoy's admin /ready: 200 "LIVE" once serving, 503 with the state otherwise.
    if (t.ready()) send(res, 200, "text/plain", "LIVE\n");
    else send(res, 503, "text/plain", "DRAINING\n");
  } else if (path === "/config_dump" && method === "GET") {
    json(res, 200, t.configDump());
  } else if (path === "/plugin-config" && method === "GET") {
    json(res, 200, t.pluginConfig());
  } else if (path === "/plugin-config" && (method === "POST" || method === "PUT")) {
    const text = await readBody(req, MAX_BODY);
    if (text === undefined) return json(res, 413, { error: "body over 4 MiB" });
    let config: unknown;
    try {
      config = JSON.parse(text);
    } catch (e) {
      return json(res, 400, { error: `body is not JSON: ${(e as Error).message}` });
    }
    const r = t.setPluginConfig(config);
    if (r.ok) json(res, 200, { accepted: true });
    else json(res, 400, { accepted: false, error: r.error });
  } else {
    send(
      res,
      404,
      "text/plain",
      "admin endpoints: GET /stats/prometheus, /ready, /config_dump, /plugin-config; POST /plugin-config\n",
    );
  }
}

/** The admin listener (Envoy's admin port, plus POST /plugin-config standing in for ECDS). */
export function createAdminServer(t: AdminTarget): Server {
  return createServer((req, res) => {
    handle(t, req, res).catch((e: unknown) => {
      if (!res.headersSent) json(res, 500, { error: (e as Error).message });
      else res.destroy();
    });
  });
}
