import type { Logger } from "../log.js";
import { type Notifier, silentNotifier, webhookNotifier } from "./webhook.js";

/** The environment variable holding the webhook URL (a secret: mount it from a Secret). */
export const WEBHOOK_URL_ENV = "COHORT_WEBHOOK_URL";

/** A webhook notifier when `COHORT_WEBHOOK_URL` is set, else one that sends nothing. */
export function notifierFromEnv(env: NodeJS.ProcessEnv, log?: Logger): Notifier {
  const url = env[WEBHOOK_URL_ENV];
  if (url === undefined || url === "") return silentNotifier;
  return webhookNotifier({ url, ...(log === undefined ? {} : { log }) });
}
