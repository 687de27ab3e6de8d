import { Emulator } from "../host/index.js";
import { filterWasmPath } from "./package-root.js";
import type { RequestHeaders } from "./request-input.js";
import { NoDecisionError } from "./route-errors.js";

/** What the filter decided for one request (the `cohort.decision` property it sets). */
export interface RouteDecision {
  experiment: string | null;
  version: string | null;
  mirror: string | null;
  reason: string;
}

function nullableString(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

/**
 * Runs requests through the real filter in the host and reads back each decision. Starting it
 * throws PluginConfigRejectedError (with the filter's message naming the field) for a bad config.
 */
export class DecisionRunner {
  private constructor(private readonly em: Emulator) {}

  static start(
    pluginConfig: unknown,
    wasm: string | Uint8Array = filterWasmPath(),
  ): DecisionRunner {
    return new DecisionRunner(Emulator.startSync({ wasm, pluginConfig }));
  }

  /** The emulator underneath (metrics, logs). */
  get emulator(): Emulator {
    return this.em;
  }

  /** One request: request headers through the filter, then the end of the stream. */
  decide(headers: RequestHeaders): RouteDecision {
    const s = this.em.stream();
    s.sendRequestHeaders(headers, true);
    const raw = s.property("cohort.decision");
    s.complete();
    if (raw === undefined) {
      throw new NoDecisionError(
        `the filter set no cohort.decision for request ${JSON.stringify(headers)}${
          this.em.failure ? ` (${this.em.failure})` : ""
        }`,
      );
    }
    const d = JSON.parse(raw) as Record<string, unknown>;
    return {
      experiment: nullableString(d.experiment),
      version: nullableString(d.version),
      mirror: nullableString(d.mirror),
      reason: typeof d.reason === "string" ? d.reason : "",
    };
  }
}

/** One readable line: `checkout: v2 (split), mirrored to v3` or `no experiment (no-match)`. */
export function formatDecision(d: RouteDecision): string {
  if (d.experiment === null) return `no experiment (${d.reason})`;
  const mirror = d.mirror === null ? "" : `, mirrored to ${d.mirror}`;
  return `${d.experiment}: ${d.version ?? "-"} (${d.reason})${mirror}`;
}
