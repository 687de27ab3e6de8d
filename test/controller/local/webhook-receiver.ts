/**
 * A chat webhook for tests: a real HTTP server on loopback that records each notification's JSON
 * body, answering 200 — or, with `silent`, never answering at all.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { WebhookPayload } from "../../../controller/src/notify/index.js";

export interface WebhookReceiver {
  url: string;
  /** Bodies received so far, in arrival order. */
  readonly received: WebhookPayload[];
  /** "event version" per body, e.g. "finished v2" or "started -". */
  events(): string[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(
  opts: { silent?: boolean } = {},
): Promise<WebhookReceiver> {
  const received: WebhookPayload[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString("utf8")) as WebhookPayload);
      if (opts.silent === true) return;
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/cohort`,
    received,
    events: () => received.map((b) => `${b.cohort.event} ${b.cohort.version ?? "-"}`),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
