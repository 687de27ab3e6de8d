import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../../controller/src/cli/program.js";
import { FakeKubeApiServer } from "../../helpers/fake-kube/fake-kube-apiserver.js";
import { canarySpec, LEASE_NS, NS } from "./harness.js";

/** Starting the CLI through tsx takes seconds on a busy machine. */
const SPAWN_TIMEOUT = 60_000;

let fake: FakeKubeApiServer;
let child: ChildProcess | undefined;

beforeEach(async () => {
  fake = await FakeKubeApiServer.start();
});
afterEach(async () => {
  if (child !== undefined && child.exitCode === null) {
    child.kill("SIGKILL");
    await once(child, "exit");
  }
  child = undefined;
  await fake.stop();
});

const holder = () =>
  (
    fake.object("leases", LEASE_NS, "cohort-controller")?.spec as
      | { holderIdentity?: string }
      | undefined
  )?.holderIdentity;

/** Starts `cohort controller` (the real entry point, through tsx); resolves on its "started" log line. */
async function startCommand(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ port: number; lines: string[] }> {
  const kubeconfig = await fake.writeKubeconfig();
  const proc = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "controller/src/cli/cohort.ts",
      "controller",
      "--kubeconfig",
      kubeconfig,
      ...args,
    ],
    { stdio: ["ignore", "pipe", "pipe"], env },
  );
  child = proc;
  const lines: string[] = [];
  let buffer = "";
  const port = await new Promise<number>((resolve, reject) => {
    proc.on("exit", (code) => reject(new Error(`exited with ${code}: ${lines.join("\n")}`)));
    proc.stderr?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      const parts = buffer.split("\n");
      buffer = parts.pop() ?? "";
      for (const line of parts) {
        lines.push(line);
        if (line.includes('"controller started"')) resolve(JSON.parse(line).port as number);
      }
    });
  });
  return { port, lines };
}

describe("cohort controller (the command)", () => {
  it(
    "serves /healthz, /readyz and /metrics, takes the Lease, and on SIGTERM releases it and exits 0",
    async () => {
      const { port, lines } = await startCommand([
        "--metrics-url",
        "http://127.0.0.1:9/",
        "--port",
        "0",
        "--identity",
        "cohort-controller-0",
        "--lease-namespace",
        LEASE_NS,
      ]);
      const get = async (path: string) => {
        const r = await fetch(`http://127.0.0.1:${port}${path}`);
        return { status: r.status, text: await r.text() };
      };
      expect(await get("/healthz")).toEqual({ status: 200, text: "ok\n" });
      expect(await get("/readyz")).toEqual({ status: 200, text: "ok\n" });
      const metrics = await get("/metrics");
      expect(metrics.status).toBe(200);
      expect(metrics.text).toContain("cohort_controller_leader 1");
      expect(metrics.text).toContain(
        "# TYPE cohort_controller_reconcile_duration_seconds histogram",
      );
      expect(holder()).toBe("cohort-controller-0");
      expect(fake.openWatches("experiments")).toBe(1);

      const exited = once(child as ChildProcess, "exit");
      child?.kill("SIGTERM");
      const [code] = await exited;
      expect(code).toBe(0);
      expect(holder()).toBe("");
      const messages = lines.map((l) => JSON.parse(l).msg);
      expect(messages).toContain("released the lease");
      expect(messages.at(-1)).toBe("controller stopped");
    },
    SPAWN_TIMEOUT,
  );

  it(
    "posts a started notification to the webhook of COHORT_WEBHOOK_URL and delivers it before it exits",
    async () => {
      fake.seed({
        apiVersion: "cohort.dev/v1alpha1",
        kind: "Experiment",
        metadata: { name: "checkout", namespace: NS },
        spec: canarySpec() as never,
      });
      const bodies: { cohort: { event: string; experiment: string } }[] = [];
      const server = createServer((req, res) => {
        let text = "";
        req.on("data", (d: Buffer) => {
          text += d.toString("utf8");
        });
        req.on("end", () => {
          bodies.push(JSON.parse(text));
          res.writeHead(200).end("ok");
        });
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
        await startCommand(
          ["--metrics-url", "http://127.0.0.1:9/", "--port", "0", "--lease-namespace", LEASE_NS],
          { ...process.env, COHORT_WEBHOOK_URL: url },
        );
        await fake.waitForRequest(
          (r) => r.verb === "create" && r.resource === "events" && r.status === 201,
          { timeoutMs: 20_000 },
        );
        const exited = once(child as ChildProcess, "exit");
        child?.kill("SIGTERM");
        expect((await exited)[0]).toBe(0);
        expect(bodies.map((b) => `${b.cohort.event} ${b.cohort.experiment}`)).toEqual([
          "started checkout",
        ]);
      } finally {
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
      }
    },
    SPAWN_TIMEOUT,
  );

  it.each([
    [["--port", "http"], 'cohort: --port: must be an integer from 0 to 65535, got "http"\n'],
    [
      ["--webhook-url", "hooks.slack.com/x"],
      'cohort: --webhook-url: not a URL: "hooks.slack.com/x": Invalid URL\n',
    ],
  ])(
    "refuses a bad flag (%j) with a message naming it, exit code 2, before any call",
    async (flag, message) => {
      const kubeconfig = await fake.writeKubeconfig();
      let err = "";
      const spy = vi.spyOn(process.stderr, "write").mockImplementation((s) => {
        err += String(s);
        return true;
      });
      try {
        const args = ["--kubeconfig", kubeconfig, "--metrics-url", "http://127.0.0.1:9/", ...flag];
        expect(await main(["controller", ...args])).toBe(2);
      } finally {
        spy.mockRestore();
      }
      expect(err).toBe(message);
      expect(fake.requests()).toEqual([]);
    },
  );
});
