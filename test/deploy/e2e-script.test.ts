import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./manifests.js";

// The kind + Istio script itself needs Docker and the internet, so it is not run here; these
// checks catch what breaks it silently: syntax, and files it expects that were moved.
const SCRIPT = join(ROOT, "deploy/e2e/kind-istio.sh");

describe("deploy/e2e/kind-istio.sh", () => {
  it("is an executable bash script with valid syntax", () => {
    expect(statSync(SCRIPT).mode & 0o111).not.toBe(0);
    expect(() => execFileSync("bash", ["-n", SCRIPT])).not.toThrow();
  });

  it("only refers to repository files that exist", () => {
    const text = readFileSync(SCRIPT, "utf8");
    const paths = [
      ...new Set(
        [...text.matchAll(/\b((?:deploy|filter)\/[\w./-]+\.(?:yaml|wasm))\b/g)].map(
          (m) => m[1] as string,
        ),
      ),
    ];
    expect(paths.length).toBeGreaterThan(4);
    expect(
      paths.filter((p) => p !== "filter/build/filter.wasm" && !existsSync(join(ROOT, p))),
    ).toEqual([]);
  });
});
