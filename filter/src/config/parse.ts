import { parseJson } from "../json/parser";
import { JsonValue } from "../json/value";
import { at, Check } from "./check";
import { parseExperiment } from "./parse-experiment";
import { isHeaderName, RESERVED_HEADERS, RESERVED_PROBLEM } from "./syntax";
import { PluginConfig } from "./types";

export const MAX_EXPERIMENTS: i32 = 64;
const KEYS: string[] = ["routingHeader", "mirrorHeader", "experiments"];

/** A validated configuration, or the message naming the first field that is wrong. */
export class ConfigResult {
  constructor(
    public config: PluginConfig | null,
    public error: string,
  ) {}
}

/** Parses and validates the plugin configuration JSON (docs/plugin-config.md). Never traps. */
export function parseConfig(text: string): ConfigResult {
  const json = parseJson(text);
  const root = json.value;
  if (root === null) return new ConfigResult(null, "invalid JSON " + json.error);
  const check = new Check();
  const config = validate(root, check);
  if (config === null || check.failed) return new ConfigResult(null, check.error);
  return new ConfigResult(config, "");
}

function header(root: JsonValue, key: string, fallback: string, check: Check): string {
  const v = root.get(key);
  if (v === null) return fallback;
  const s = check.string(v, key);
  if (s === null) return fallback;
  if (!isHeaderName(s)) check.fail(key, "must be a lower-case header name");
  else if (RESERVED_HEADERS.includes(s)) check.fail(key, RESERVED_PROBLEM);
  return s;
}

function validate(root: JsonValue, check: Check): PluginConfig | null {
  if (!check.object(root, "", KEYS)) return null;
  const config = new PluginConfig();
  config.routingHeader = header(root, "routingHeader", config.routingHeader, check);
  config.mirrorHeader = header(root, "mirrorHeader", config.mirrorHeader, check);
  if (check.failed) return null;
  if (config.routingHeader == config.mirrorHeader) {
    check.fail("mirrorHeader", "must differ from routingHeader");
    return null;
  }
  const list = root.get("experiments");
  if (list === null) {
    check.fail("experiments", "is required");
    return null;
  }
  const items = check.array(list, "experiments", 0, MAX_EXPERIMENTS);
  if (items === null) return null;
  for (let i = 0; i < items.length; i++) {
    const path = at("experiments", i);
    const e = parseExperiment(unchecked(items[i]), path, check);
    if (e === null) return null;
    for (let j = 0; j < config.experiments.length; j++) {
      if (unchecked(config.experiments[j]).name == e.name) {
        check.fail(path + ".name", 'duplicates experiment "' + e.name + '"');
        return null;
      }
    }
    const o = e.qaOverride;
    if (o !== null && (o.header == config.routingHeader || o.header == config.mirrorHeader)) {
      check.fail(path + ".override.header", "must differ from routingHeader and mirrorHeader");
      return null;
    }
    config.experiments.push(e);
  }
  return config;
}
