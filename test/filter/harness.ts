import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Emulator, type EmulatorOptions, type HeadersInput } from "../../sidecar/src/host/index.js";

/** The compiled filter (`npm run build:filter`), read once per test file. */
export const FILTER_WASM = readFileSync(
  fileURLToPath(new URL("../../filter/build/filter.wasm", import.meta.url)),
);

/** The tags our metric names embed; the mesh must list them in extraStatTags. */
export const COHORT_TAGS = [
  "cohort_experiment",
  "cohort_version",
  "cohort_reason",
  "cohort_status_class",
];

/** A fixture from test/fixtures/plugin-config/ (parsed). */
export function fixture(name: string): unknown {
  const path = new URL(`../fixtures/plugin-config/${name}`, import.meta.url);
  return JSON.parse(readFileSync(fileURLToPath(path), "utf8"));
}

/** Starts the real filter in the host with `pluginConfig`. */
export function startFilter(pluginConfig: unknown, opts: Partial<EmulatorOptions> = {}): Emulator {
  return Emulator.startSync({
    wasm: FILTER_WASM,
    pluginConfig,
    extraStatTags: COHORT_TAGS,
    ...opts,
  });
}

/** The decision record the filter left on a request. */
export interface DecisionRecord {
  experiment: string | null;
  version: string | null;
  mirror: string | null;
  reason: string;
}

/** What one request turned into: the decision, the headers the upstream gets, the route. */
export interface Outcome {
  decision: DecisionRecord;
  headers: Record<string, string>;
  cluster: string | undefined;
  mirrorCluster: string | undefined;
}

/** Sends one complete request (and a 200 unless `status` says otherwise) through the filter. */
export function send(emu: Emulator, headers: HeadersInput, status = "200"): Outcome {
  const s = emu.stream();
  s.sendRequestHeaders(headers, true);
  const raw = s.property("cohort.decision");
  const outcome: Outcome = {
    decision: (raw === undefined ? undefined : JSON.parse(raw)) as DecisionRecord,
    headers: Object.fromEntries(s.requestHeaders()),
    cluster: s.route?.cluster,
    mirrorCluster: s.route?.mirrorCluster,
  };
  s.sendResponseHeaders({ ":status": status }, true);
  s.complete();
  return outcome;
}

/** The version the filter gives user `user` on host `host` (sticky key header x-user-id). */
export function versionOf(emu: Emulator, host: string, user: string): string | null {
  const s = emu.stream();
  s.sendRequestHeaders({ ":authority": host, "x-user-id": user }, true);
  const raw = s.property("cohort.decision");
  s.complete();
  return raw === undefined ? null : (JSON.parse(raw) as DecisionRecord).version;
}
