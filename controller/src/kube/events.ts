/**
 * core/v1 Events about experiments: what `kubectl describe experiment` shows under Events. Only
 * decisions become events (started, rollback, mirror stopped, winner, promoting, promoted, invalid
 * spec) plus the warnings an operator must see; a failure to record one is logged, never fatal.
 */
import type { CoreV1Event } from "@kubernetes/client-node";
import type { Logger } from "../log.js";
import type { Clock } from "./clock.js";
import type { ExperimentObject } from "./experiment-object.js";
import type { KubeApi } from "./kube-api.js";

export const EVENT_COMPONENT = "cohort-controller";

export type EventReason =
  | "Started"
  | "Rollback"
  | "MirrorStopped"
  | "RolledBack"
  | "WinnerFound"
  | "Completed"
  | "Promoting"
  | "Promoted"
  | "PromotionFailed"
  | "InvalidSpec"
  | "MetricsUnavailable"
  | "WasmPluginMissing"
  | "FilterRefused";

export interface ExperimentEvent {
  reason: EventReason;
  message: string;
  type?: "Normal" | "Warning";
}

export class EventRecorder {
  constructor(
    private readonly api: KubeApi,
    private readonly clock: Clock,
    private readonly instance: string,
    private readonly log: Logger,
  ) {}

  async record(o: ExperimentObject, e: ExperimentEvent): Promise<void> {
    const { namespace, name, uid, resourceVersion } = o.metadata;
    const now = this.clock.now();
    const body: CoreV1Event = {
      metadata: { generateName: `${name}.`, namespace },
      involvedObject: {
        apiVersion: o.apiVersion ?? "cohort.dev/v1alpha1",
        kind: "Experiment",
        name,
        namespace,
        ...(uid === undefined ? {} : { uid }),
        ...(resourceVersion === undefined ? {} : { resourceVersion }),
      },
      reason: e.reason,
      message: e.message,
      type: e.type ?? "Normal",
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: EVENT_COMPONENT },
      reportingComponent: `cohort.dev/${EVENT_COMPONENT}`,
      reportingInstance: this.instance,
    };
    try {
      await this.api.createEvent(namespace, body);
    } catch (err) {
      this.log.warn("could not record event", {
        reason: e.reason,
        experiment: `${namespace}/${name}`,
        error: String(err),
      });
    }
  }
}
