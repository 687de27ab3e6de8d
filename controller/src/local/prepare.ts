/**
 * Everything a run checks before it opens a port: the versions' urls, the metrics source, the
 * state file (same experiment, same spec). A run that cannot go ahead fails here with nothing
 * started.
 */
import type { ResolvedExperiment } from "../core/experiment/index.js";
import { customMetricsOf } from "../providers/collect-request.js";
import { createProvider, type MetricsProvider } from "../providers/index.js";
import { upstreamsOf } from "./data-plane.js";
import { LocalRunError, StateMismatchError } from "./errors.js";
import { freshState, type LocalState, readState, specHashOf } from "./state-file.js";

export interface PrepareOptions {
  statePath: string;
  /** Start over even when the state file holds another spec's run. */
  fresh?: boolean;
  /** A running sidecar's admin URL: no sidecar is started and versions need no url. */
  sidecarAdminUrl?: string;
  /** A Prometheus server, for custom metrics (PromQL) or to read the builtins through it. */
  prometheusUrl?: string;
  /**
   * Reads the metrics instead of the builtin or Prometheus provider, given the sidecar's
   * `/stats/prometheus` URL (the demo's watches the builtin provider's observations). With it,
   * PromQL custom metrics need no `--prometheus`: the provider answers for them.
   */
  metricsProvider?: (statsUrl: string) => MetricsProvider;
}

/** The checks that need no network: urls and the metrics source. */
export function checkRunnable(exp: ResolvedExperiment, opts: PrepareOptions): void {
  if (opts.sidecarAdminUrl === undefined) upstreamsOf(exp.spec);
  // builtin custom metrics are selector sums the sidecar's stats provider evaluates itself
  const promql = customMetricsOf(exp.spec).filter((m) => m.provider !== "builtin");
  if (promql.length > 0 && opts.prometheusUrl === undefined && opts.metricsProvider === undefined)
    throw new LocalRunError(
      `metric ${promql[0]?.name} is a custom PromQL metric (provider: ${promql[0]?.provider}): pass --prometheus URL of a Prometheus scraping the sidecar and the apps, or make it a provider: builtin selector sum`,
    );
}

/** The provider the run reads: Prometheus when given, else the sidecar's own stats page. */
export function providerFor(statsUrl: string, prometheusUrl: string | undefined): MetricsProvider {
  return prometheusUrl === undefined
    ? createProvider("builtin", { url: statsUrl })
    : createProvider("prometheus", { url: prometheusUrl });
}

/** The state to start from: the stored one when it is this spec's, a fresh one otherwise. */
export async function loadOrCreateState(
  exp: ResolvedExperiment,
  opts: PrepareOptions,
  now: Date,
): Promise<{ state: LocalState; resumed: boolean }> {
  const name = exp.metadata.name;
  const hash = specHashOf(name, exp.spec);
  const stored = opts.fresh ? undefined : await readState(opts.statePath);
  if (stored === undefined) return { state: freshState(name, hash, now), resumed: false };
  if (stored.experiment !== name || stored.specHash !== hash)
    throw new StateMismatchError(
      `${opts.statePath} holds a run of ${stored.experiment === name ? "an earlier version of this experiment" : `experiment ${stored.experiment}`} ` +
        `(spec hash ${stored.specHash}, this file's is ${hash}); the spec changed since, so the run cannot resume. ` +
        "Pass --fresh to start over (the old state is replaced) or --state FILE to keep both.",
    );
  return { state: stored, resumed: true };
}
