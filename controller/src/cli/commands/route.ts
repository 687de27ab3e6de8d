/** `cohort route`: what the real filter decides for given requests, run in the proxy-wasm host. */
import { readFile } from "node:fs/promises";
import { DecisionRunner, formatDecision } from "../../../../sidecar/src/route/decide.js";
import {
  parseHeaderFlags,
  parseRequestsJsonl,
  type RequestHeaders,
} from "../../../../sidecar/src/route/request-input.js";
import { RouteInputError } from "../../../../sidecar/src/route/route-errors.js";
import { describeError, isCohortError } from "../../core/errors.js";
import type { RegisterCommand } from "./index.js";

interface RouteOptions {
  config: string;
  header: string[];
  requests?: string;
  json?: boolean;
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    throw new RouteInputError(`${what} ${file}: cannot read (${(e as Error).message})`, {
      cause: e,
    });
  }
}

/** Runs the command; returns the lines for stdout. Throws CohortErrors for bad input. */
export async function routeRequests(opts: RouteOptions): Promise<string[]> {
  const config = await readText(opts.config, "--config");
  let requests: RequestHeaders[];
  if (opts.requests !== undefined) {
    if (opts.header.length > 0) throw new RouteInputError("use either -H or --requests, not both");
    requests = parseRequestsJsonl(await readText(opts.requests, "--requests"), opts.requests);
  } else {
    requests = [parseHeaderFlags(opts.header)];
  }
  const runner = DecisionRunner.start(config);
  return requests.map((h) => {
    const d = runner.decide(h);
    return opts.json ? JSON.stringify(d) : formatDecision(d);
  });
}

export const registerRoute: RegisterCommand = (program) => {
  program
    .command("route")
    .description("Show which experiment, version and mirror the filter picks for requests")
    .requiredOption("--config <file>", "plugin configuration (JSON)")
    .option(
      "-H, --header <header>",
      "a request header 'name: value' (repeatable; pseudo-headers like ':authority: shop' too)",
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option("--requests <file>", "JSONL: one JSON object of headers per line")
    .option("--json", "one JSON object per request: experiment, version, mirror, reason")
    .addHelpText(
      "after",
      "\nRuns filter/build/filter.wasm in Cohort's proxy-wasm host (Envoy's semantics).\n" +
        "Exit status 0; 1 when the configuration is refused (the filter's message names the field)\n" +
        "or a request is malformed (the message names the line).",
    )
    .action(async (opts: RouteOptions) => {
      try {
        const lines = await routeRequests(opts);
        process.stdout.write(lines.map((l) => `${l}\n`).join(""));
      } catch (e) {
        if (!isCohortError(e)) throw e;
        process.stderr.write(`cohort route: ${describeError(e)}\n`);
        process.exitCode = 1;
      }
    });
};
