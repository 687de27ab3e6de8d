import { createServer, type IncomingHttpHeaders, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A request an upstream received. */
export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  bodyBytes: number;
}

export interface TestUpstream {
  name: string;
  url: string;
  received: Received[];
  /** Resolves when the n-th request (1-based) has fully arrived. */
  waitFor(n: number): Promise<void>;
  /** While held, requests are received but not answered until release(). */
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

/**
 * A version's endpoint for the tests: answers 200 with `version=<name>` (and the body size it
 * read), records every request, and can hold its answers to play a slow version.
 */
export async function startUpstream(name: string, status = 200): Promise<TestUpstream> {
  const received: Received[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let held: (() => void)[] | undefined;
  const server: Server = createServer((req, res) => {
    let bytes = 0;
    req.on("data", (c: Buffer) => {
      bytes += c.length;
    });
    req.on("end", () => {
      received.push({
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        bodyBytes: bytes,
      });
      for (const w of waiters.filter((x) => received.length >= x.n)) w.resolve();
      const answer = () => {
        if (res.destroyed) return;
        const body = `version=${name} bytes=${bytes}`;
        res.writeHead(status, { "content-type": "text/plain", server: `upstream-${name}` });
        res.end(body);
      };
      if (held) held.push(answer);
      else answer();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    received,
    waitFor: (n) =>
      new Promise((resolve) => {
        if (received.length >= n) resolve();
        else waiters.push({ n, resolve });
      }),
    hold: () => {
      held ??= [];
    },
    release: () => {
      const h = held ?? [];
      held = undefined;
      for (const a of h) a();
    },
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A port on 127.0.0.1 where nothing listens (bound, then closed). */
export async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request through a fresh connection; `body` may be a Buffer or a generator of chunks. */
export function send(
  url: string,
  opts: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: Buffer | string;
    agent?: import("node:http").Agent;
  } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const u = new URL(opts.path ?? "/", url);
    const req = request(
      u,
      { method: opts.method ?? "GET", headers: opts.headers, agent: opts.agent },
      (res) => {
        const parts: Buffer[] = [];
        res.on("data", (c: Buffer) => parts.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(parts).toString(),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}
