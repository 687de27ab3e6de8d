/**
 * What Cohort tells a chat channel: an experiment started, a candidate rolled back, mirroring to
 * the dark version stopped (it fails an objective), or the experiment finished.
 */
export type NotificationKind = "started" | "rollback" | "mirror-stopped" | "finished";

export interface Notification {
  kind: NotificationKind;
  experiment: { name: string; namespace?: string };
  /** The version concerned: the winner (finished), the one rolled back, or the dark one (mirror-stopped). */
  version?: string;
  /** One human sentence, e.g. the decision's reason. */
  message: string;
  at: Date;
}

/** The JSON body: Slack's `text` (also read by Mattermost, Rocket.Chat, Teams workflows) plus the facts in `cohort`. */
export interface WebhookPayload {
  text: string;
  cohort: {
    event: NotificationKind;
    experiment: string;
    namespace: string | null;
    version: string | null;
    message: string;
    time: string;
  };
}

const HEADLINE: Record<NotificationKind, string> = {
  started: ":test_tube: Experiment started",
  rollback: ":rewind: Experiment rolled back",
  "mirror-stopped": ":no_entry: Mirroring stopped",
  finished: ":checkered_flag: Experiment finished",
};

export function webhookPayload(n: Notification): WebhookPayload {
  const who =
    n.experiment.namespace === undefined
      ? n.experiment.name
      : `${n.experiment.namespace}/${n.experiment.name}`;
  const version = n.version === undefined ? "" : ` (${n.version})`;
  return {
    text: `${HEADLINE[n.kind]}: *${who}*${version}. ${n.message}`,
    cohort: {
      event: n.kind,
      experiment: n.experiment.name,
      namespace: n.experiment.namespace ?? null,
      version: n.version ?? null,
      message: n.message,
      time: n.at.toISOString(),
    },
  };
}
