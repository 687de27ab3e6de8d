import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { parse } from "yaml";
import { SidecarConfigError } from "./errors.js";
import { parseSidecarConfig } from "./parse-config.js";
import type { SidecarConfig } from "./sidecar-config.js";

/** Reads and checks sidecar.yaml; relative paths in it are taken from the file's directory. */
export function loadSidecarConfig(file: string): SidecarConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new SidecarConfigError(`${file}: cannot read (${(e as Error).message})`, { cause: e });
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (e) {
    throw new SidecarConfigError(`${file}: not valid YAML (${(e as Error).message})`, { cause: e });
  }
  try {
    return parseSidecarConfig(raw, {
      baseDir: dirname(file),
      readFile: (p) => readFileSync(p, "utf8"),
    });
  } catch (e) {
    if (e instanceof SidecarConfigError) {
      throw new SidecarConfigError(`${file}: ${e.message}`, { cause: e });
    }
    throw e;
  }
}
