/**
 * `cohort controller`: runs the Kubernetes controller — watches Experiments, analyses each one
 * every interval, writes status, Events and the WasmPlugins' pluginConfig, promotes winners —
 * with leader election, `/metrics`, `/healthz` and `/readyz`. SIGTERM and SIGINT stop it
 * gracefully (in-flight work finishes, the Lease is released). See docs/kubernetes.md.
 */
import { hostname } from "node:os";
import { KubeConfig } from "@kubernetes/client-node";
import { Option } from "commander";
import { CohortError } from "../../core/errors.js";
import { Controller } from "../../kube/controller.js";
import { createLogger, type Logger } from "../../log.js";
import {
  type Notifier,
  notifierFromEnv,
  WEBHOOK_URL_ENV,
  webhookNotifier,
} from "../../notify/index.js";
import { createPromoter, forController } from "../../promotion/index.js";
import { createProvider, PROVIDER_KINDS } from "../../providers/index.js";
import type { RegisterCommand } from "./index.js";

interface ControllerFlags {
  kubeconfig?: string;
  namespace?: string;
  metricsProvider: string;
  metricsUrl: string;
  identity: string;
  leaderElection: boolean;
  leaseNamespace: string;
  leaseName: string;
  wasmPlugin: string;
  routingHeader?: string;
  mirrorHeader?: string;
  clusterDomain?: string;
  port: string;
  promotionDir?: string;
  webhookUrl?: string;
}

function portOf(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CohortError(
      `--port: must be an integer from 0 to 65535, got ${JSON.stringify(text)}`,
    );
  return port;
}

/** The kubeconfig: the file given, else $KUBECONFIG / ~/.kube/config, else the in-cluster account. */
function kubeConfigOf(path: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  if (path === undefined) kc.loadFromDefault();
  else kc.loadFromFile(path);
  if (kc.getCurrentCluster() === null)
    throw new CohortError(
      "no Kubernetes cluster configured: pass --kubeconfig, set KUBECONFIG, or run in a Pod",
    );
  return kc;
}

/** The webhook of --webhook-url, else of $COHORT_WEBHOOK_URL (from a Secret), else none. */
function notifierOf(url: string | undefined, log: Logger): Notifier {
  if (url === undefined) return notifierFromEnv(process.env, log);
  try {
    new URL(url);
  } catch (e) {
    throw new CohortError(`--webhook-url: not a URL: ${JSON.stringify(url)}`, { cause: e });
  }
  return webhookNotifier({ url, log });
}

async function runController(flags: ControllerFlags): Promise<void> {
  const log = createLogger({ component: "controller", identity: flags.identity });
  const notifier = notifierOf(flags.webhookUrl, log);
  const promoter = createPromoter(
    flags.promotionDir === undefined ? {} : { baseDir: flags.promotionDir },
  );
  const controller = new Controller({
    kubeConfig: kubeConfigOf(flags.kubeconfig),
    ...(flags.namespace === undefined ? {} : { namespace: flags.namespace }),
    provider: createProvider(flags.metricsProvider, { url: flags.metricsUrl }),
    promoter: forController(promoter, (e, r) =>
      log.info("promotion", {
        experiment: `${e.namespace}/${e.name}`,
        outcome: r.outcome,
        message: r.message,
      }),
    ),
    identity: flags.identity,
    leaderElection: flags.leaderElection
      ? { namespace: flags.leaseNamespace, name: flags.leaseName }
      : false,
    wasmPlugin: {
      name: flags.wasmPlugin,
      ...(flags.routingHeader === undefined ? {} : { routingHeader: flags.routingHeader }),
      ...(flags.mirrorHeader === undefined ? {} : { mirrorHeader: flags.mirrorHeader }),
      ...(flags.clusterDomain === undefined ? {} : { clusterDomain: flags.clusterDomain }),
    },
    port: portOf(flags.port),
    notifier,
    log,
  });
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info("stopping", { signal });
      controller.stop().then(resolve, (e: unknown) => {
        log.error("stop failed", { error: String(e) });
        resolve();
      });
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
  await controller.start();
  log.info("controller started", {
    namespace: flags.namespace ?? "(all)",
    port: controller.port,
    leaderElection: flags.leaderElection,
    // whether, never where: the URL is a secret
    notifications: flags.webhookUrl !== undefined || Boolean(process.env[WEBHOOK_URL_ENV]),
  });
  await stopped;
}

export const registerController: RegisterCommand = (program) => {
  program
    .command("controller")
    .description(
      "Run the Kubernetes controller: watch Experiments, decide each interval, write status, events and WasmPlugin config, promote winners",
    )
    .option(
      "--kubeconfig <file>",
      "kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, or in-cluster)",
    )
    .option("-n, --namespace <namespace>", "watch only this namespace (default: all namespaces)")
    .addOption(
      new Option("--metrics-provider <kind>", "where observations come from")
        .choices([...PROVIDER_KINDS])
        .default("prometheus"),
    )
    .requiredOption(
      "--metrics-url <url>",
      "prometheus: the server's base URL; builtin: an Envoy /stats/prometheus URL",
    )
    .option(
      "--identity <name>",
      "this replica's name in the Lease and Events",
      process.env.POD_NAME ?? hostname(),
    )
    .option("--no-leader-election", "act without a Lease (only ever run one replica then)")
    .option(
      "--lease-namespace <namespace>",
      "namespace of the leader Lease",
      process.env.POD_NAMESPACE ?? "cohort-system",
    )
    .option("--lease-name <name>", "name of the leader Lease", "cohort-controller")
    .option(
      "--wasm-plugin <name>",
      "WasmPlugin (in each experiment's namespace) whose pluginConfig the controller owns; an experiment's cohort.dev/wasm-plugin annotation overrides it",
      "cohort",
    )
    .option("--routing-header <name>", "request header the filter sets to the chosen version")
    .option("--mirror-header <name>", "request header the filter sets on mirrored requests")
    .option(
      "--cluster-domain <domain>",
      "DNS domain for hosts derived from spec.target (default cluster.local)",
    )
    .option("--port <port>", "port of /metrics, /healthz and /readyz", "8080")
    .option(
      "--promotion-dir <dir>",
      "directory that relative paths in spec.promotion are resolved against",
    )
    .option(
      "--webhook-url <url>",
      `post Slack-compatible notifications (start, rollback, finish) here; default $${WEBHOOK_URL_ENV} (prefer it: a flag shows in the process list)`,
    )
    .action(async (flags: ControllerFlags) => {
      await runController(flags);
    });
};
