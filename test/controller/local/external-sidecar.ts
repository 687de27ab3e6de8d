/** A sidecar already running in front of v1 and v2 with no experiment yet: what `--sidecar` reaches. */
import { createLogger } from "../../../controller/src/log.js";
import { startSidecar } from "../../../sidecar/src/proxy/sidecar.js";

export function startExternalSidecar(v1: string, v2: string) {
  return startSidecar(
    {
      clusters: [
        { name: "v1", url: v1 },
        { name: "v2", url: v2 },
      ],
      routes: { defaultCluster: "v1" },
      plugin: { config: { experiments: [] } },
    },
    { log: createLogger({}, { level: "error" }) },
  );
}
