import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The directory of the nearest package.json above `from` (a file URL or path). Works both from
 * the sources (tsx, vitest) and from dist/, which sit at different depths.
 */
export function packageRoot(from: string = import.meta.url): string {
  let dir = dirname(from.startsWith("file:") ? fileURLToPath(from) : from);
  for (;;) {
    if (existsSync(join(dir, "package.json"))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
}

/** The compiled filter, `filter/build/filter.wasm` under the package root. */
export function filterWasmPath(): string {
  return join(packageRoot(), "filter", "build", "filter.wasm");
}

/** The no-op module, `filter/build/noop.wasm` under the package root. */
export function noopWasmPath(): string {
  return join(packageRoot(), "filter", "build", "noop.wasm");
}
