/** `cohort sidecar`: the local HTTP proxy that runs filter.wasm per request, like Envoy would. */
import { loadSidecarConfig } from "../../../../sidecar/src/proxy/load-config.js";
import { startSidecar } from "../../../../sidecar/src/proxy/sidecar.js";
import { describeError, isCohortError } from "../../core/errors.js";
import { createLogger } from "../../log.js";
import type { RegisterCommand } from "./index.js";

interface SidecarOptions {
  config: string;
  accessLog?: boolean;
}

/** Runs until SIGINT/SIGTERM, then drains in-flight requests and exits. */
async function runSidecar(opts: SidecarOptions): Promise<void> {
  const config = loadSidecarConfig(opts.config);
  if (opts.accessLog) config.accessLog = true;
  const log = createLogger({ component: "sidecar" });
  const sidecar = await startSidecar(config, { log });
  process.stdout.write(
    `${JSON.stringify({ url: sidecar.url, adminUrl: sidecar.adminUrl, ports: sidecar.ports })}\n`,
  );
  await new Promise<void>((resolve) => {
    const onSignal = (signal: string) => {
      log.info("stopping: draining in-flight requests", { signal });
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      sidecar.stop().then(resolve, resolve);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}

export const registerSidecar: RegisterCommand = (program) => {
  program
    .command("sidecar")
    .description("Run the local HTTP sidecar: filter.wasm on every request, Envoy's routing")
    .requiredOption("--config <file>", "sidecar configuration (YAML, see docs/sidecar.md)")
    .option("--access-log", "log one line per request with the filter's decision")
    .addHelpText(
      "after",
      "\nPrints one JSON line with the bound URLs ({url, adminUrl, ports}) once listening;\n" +
        "logs go to stderr. Admin: GET /stats/prometheus, /ready, /config_dump, /plugin-config;\n" +
        "POST /plugin-config replaces the plugin config (400 with the filter's message if refused).\n" +
        "SIGINT/SIGTERM drain in-flight requests, then exit 0. Exit 1 for an invalid config.",
    )
    .action(async (opts: SidecarOptions) => {
      try {
        await runSidecar(opts);
      } catch (e) {
        if (!isCohortError(e)) throw e;
        process.stderr.write(`cohort sidecar: ${describeError(e)}\n`);
        process.exitCode = 1;
      }
    });
};
