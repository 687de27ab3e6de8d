/** Notifications of experiment events to a chat webhook. */

export * from "./decision-notifications.js";
export * from "./from-env.js";
export * from "./notification.js";
export * from "./webhook.js";
