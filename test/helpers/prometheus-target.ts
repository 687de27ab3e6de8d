import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A loopback HTTP server that serves one exposition text at every path, for scrapes and fetches. */
export interface ExpositionServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `127.0.0.1:PORT`, as a Prometheus scrape target. */
  target: string;
  /** Replaces the text served from now on. */
  serve(text: string, status?: number): void;
  close(): Promise<void>;
}

/** Starts an {@link ExpositionServer} on an ephemeral port. */
export async function startExpositionServer(initial = ""): Promise<ExpositionServer> {
  let body = initial;
  let code = 200;
  const server = createServer((_req, res) => {
    res.writeHead(code, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    target: `127.0.0.1:${port}`,
    serve(text, status = 200) {
      body = text;
      code = status;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
