/** Experiment files for local-mode tests: a Canary of two versions with a command promoter. */
import { stringify } from "yaml";

export interface TestExperiment {
  name?: string;
  v1: string;
  v2: string;
  /** Where the command promoter appends "<experiment> <version>". */
  promotedFile: string;
  intervalSeconds?: number;
  maxIterations?: number;
  /** Requests per second of the built-in load; none = no traffic. */
  rate?: number;
  errorLimit?: number;
  /** The promotion command appends only when the line is not there yet (idempotent, as the port asks). */
  idempotentPromotion?: boolean;
  /** Fields merged over the spec's (a mirror, a sidecar section...). */
  spec?: Record<string, unknown>;
}

export function experimentDoc(t: TestExperiment): Record<string, unknown> {
  return {
    apiVersion: "cohort.dev/v1alpha1",
    kind: "Experiment",
    metadata: { name: t.name ?? "checkout" },
    spec: {
      target: "checkout",
      testingPattern: "Canary",
      baseline: { name: "v1", url: t.v1 },
      candidates: [{ name: "v2", url: t.v2 }],
      criteria: { objectives: [{ metric: "error-rate", upperLimit: t.errorLimit ?? 0.1 }] },
      traffic: { stickyKey: ["header:x-user-id"] },
      weights: { maxCandidateWeightIncrement: 50 },
      duration: { intervalSeconds: t.intervalSeconds ?? 0.25, maxIterations: t.maxIterations ?? 6 },
      ...(t.rate === undefined ? {} : { load: { rate: t.rate, users: 40, seed: 7 } }),
      promotion: {
        kind: "command",
        command: {
          args: [
            "sh",
            "-c",
            t.idempotentPromotion === true
              ? 'line="$COHORT_EXPERIMENT $COHORT_VERSION"; grep -qxs "$line" "$0" || echo "$line" >> "$0"'
              : 'echo "$COHORT_EXPERIMENT $COHORT_VERSION" >> "$0"',
            t.promotedFile,
          ],
        },
      },
      ...t.spec,
    },
  };
}

export function experimentYaml(t: TestExperiment): string {
  return stringify(experimentDoc(t));
}
