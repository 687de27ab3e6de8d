import { CohortError } from "../core/errors.js";
import { BuiltinProvider } from "./builtin.js";
import { PrometheusProvider } from "./prometheus.js";
import type { MetricsProvider } from "./provider.js";

export type ProviderKind = "builtin" | "prometheus";
export const PROVIDER_KINDS: readonly ProviderKind[] = ["builtin", "prometheus"];

export interface ProviderOptions {
  /** builtin: the `/stats/prometheus` URL; prometheus: the server's base URL. */
  url: string;
  timeoutMs?: number;
}

/** The provider of `kind`; an unknown kind is a CohortError listing the known ones. */
export function createProvider(kind: string, options: ProviderOptions): MetricsProvider {
  switch (kind) {
    case "builtin":
      return new BuiltinProvider(options);
    case "prometheus":
      return new PrometheusProvider(options);
    default:
      throw new CohortError(
        `unknown metrics provider ${JSON.stringify(kind)}: expected one of ${PROVIDER_KINDS.join(", ")}`,
      );
  }
}
