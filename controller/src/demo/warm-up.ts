/**
 * Warms the demo's data plane before the experiment starts: the sidecar, the filter and the apps
 * answer their first requests slowly (code being compiled), and the experiment's latency
 * histograms would keep that start-up forever. A real service is warm when an experiment begins;
 * so the demo sends requests through the sidecar while its plugin config holds no experiment —
 * the filter counts nothing for them — and only then hands the sidecar to the run.
 */
import { Agent, request } from "node:http";

export async function warmUp(url: string, requests: number, concurrency = 16): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const one = (i: number) =>
    new Promise<void>((resolve) => {
      const req = request(
        new URL("/", url),
        { agent, headers: { "x-user-id": `warm-up-${i}`, "x-country": "wakanda" } },
        (res) => {
          res.resume();
          res.on("end", resolve);
          res.on("error", () => resolve());
        },
      );
      req.on("error", () => resolve());
      req.end();
    });
  let next = 0;
  const worker = async () => {
    while (next < requests) await one(next++);
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
}
