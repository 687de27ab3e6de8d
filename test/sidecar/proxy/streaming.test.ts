import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sidecar, startSidecar } from "../../../sidecar/src/proxy/sidecar.js";
import { checkoutConfig, HOST } from "./harness.js";

const CHUNK = Buffer.alloc(256 * 1024, 0x61);
const CHUNKS = 128; // 32 MiB each way

/** Resolves the next time `fn` is called. */
function signal(): { wait: Promise<void>; fire: () => void } {
  let fire = () => {};
  const wait = new Promise<void>((r) => {
    fire = r;
  });
  return { wait, fire };
}

/**
 * An upstream that proves both bodies stream: it reports the first request bytes while the client
 * is still holding back the rest, and sends the rest of its response only after the client saw
 * the first response bytes. A proxy that buffered a whole body would deadlock here.
 */
describe("bodies stream through the sidecar", { timeout: 30_000 }, () => {
  let upstream: Server;
  let sidecar: Sidecar;
  const firstRequestBytes = signal();
  const firstResponseBytes = signal();
  let upstreamGot = 0;

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      req.on("data", (c: Buffer) => {
        if (upstreamGot === 0) firstRequestBytes.fire();
        upstreamGot += c.length;
      });
      req.on("end", async () => {
        res.writeHead(200, { "content-type": "application/octet-stream" });
        res.write(CHUNK);
        await firstResponseBytes.wait;
        for (let i = 1; i < CHUNKS; i++) {
          if (!res.write(CHUNK)) await new Promise((r) => res.once("drain", r));
        }
        res.end();
      });
    });
    await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    sidecar = await startSidecar(
      {
        clusters: [
          { name: "v1", url },
          { name: "v2", url },
        ],
        routes: { defaultCluster: "v1" },
        plugin: { config: checkoutConfig(50, 50) },
      },
      { log: silent },
    );
  });
  afterAll(async () => {
    await sidecar.stop();
    await new Promise((r) => upstream.close(r));
  });

  it("passes 32 MiB each way chunk by chunk, without holding a whole body", async () => {
    const received = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${sidecar.url}/upload`,
        {
          method: "POST",
          headers: { host: HOST, "x-country": "wakanda", "x-user-id": "big" },
        },
        (res) => {
          let n = 0;
          res.on("data", (c: Buffer) => {
            if (n === 0) firstResponseBytes.fire();
            n += c.length;
          });
          res.on("end", () => resolve(n));
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.write(CHUNK);
      firstRequestBytes.wait.then(async () => {
        for (let i = 1; i < CHUNKS; i++) {
          if (!req.write(CHUNK)) await new Promise((r) => req.once("drain", r));
        }
        req.end();
      });
    });
    expect(upstreamGot).toBe(CHUNK.length * CHUNKS);
    expect(received).toBe(CHUNK.length * CHUNKS);
  });
});

const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
