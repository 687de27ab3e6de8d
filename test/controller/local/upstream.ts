/**
 * Tiny app versions for local-mode tests: real HTTP servers on loopback whose behaviour is a
 * deterministic function of the request count — every n-th request fails, a fixed delay, or the
 * server goes away after a number of requests.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface UpstreamBehaviour {
  /** Every `failEvery`-th request is answered 500 (0 = never). */
  failEvery?: number;
  /** Milliseconds before answering. */
  delayMs?: number;
  /** After this many requests the server closes and refuses connections. */
  downAfter?: number;
}

export interface Upstream {
  url: string;
  /** Requests answered (or refused by going down) so far. */
  readonly requests: number;
  readonly down: boolean;
  close(): Promise<void>;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export async function startUpstream(b: UpstreamBehaviour = {}): Promise<Upstream> {
  let requests = 0;
  let down = false;
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    if (b.downAfter !== undefined && requests >= b.downAfter) {
      down = true;
      res.socket?.destroy();
      void close(server);
      return;
    }
    const fail = (b.failEvery ?? 0) > 0 && requests % (b.failEvery ?? 1) === 0;
    const answer = () => {
      res.writeHead(fail ? 500 : 200, { "content-type": "text/plain" });
      res.end(fail ? "boom" : "ok");
    };
    if ((b.delayMs ?? 0) > 0) setTimeout(answer, b.delayMs);
    else answer();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    get down() {
      return down;
    },
    close: () => close(server),
  };
}
