import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../route/package-root.js";

/** The example plugin configuration the demo uses when deploy/examples has none. */
export const EMBEDDED_DEMO_CONFIG = {
  routingHeader: "x-cohort-version",
  mirrorHeader: "x-cohort-mirror",
  experiments: [
    {
      name: "checkout",
      hosts: ["checkout.shop.svc.cluster.local"],
      segment: { any: [{ header: "x-country", oneOf: ["wakanda", "genovia"] }] },
      stickyKey: ["header:x-user-id", "cookie:uid"],
      baseline: "v1",
      versions: [
        { name: "v1", weight: 90 },
        { name: "v2", weight: 10 },
      ],
      mirror: { version: "v3", percent: 25 },
      salt: "checkout",
    },
  ],
};

export type DemoConfig = typeof EMBEDDED_DEMO_CONFIG;

/** deploy/examples/plugin-config.json when present, else {@link EMBEDDED_DEMO_CONFIG}. */
export function loadDemoConfig(): { config: DemoConfig; source: string } {
  const file = join(packageRoot(), "deploy", "examples", "plugin-config.json");
  if (existsSync(file)) {
    return {
      config: JSON.parse(readFileSync(file, "utf8")) as DemoConfig,
      source: "deploy/examples/plugin-config.json",
    };
  }
  return { config: EMBEDDED_DEMO_CONFIG, source: "built-in example" };
}
