import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as stats from "../../../controller/src/core/stats/index.js";
import { stirlingRemainder } from "../../../controller/src/core/stats/ln-gamma.js";

// Every `@example call // output` in the statistics core's doc comments is run and its output
// compared exactly, so the documentation cannot drift from the code. A parenthesised remark after
// the output is not part of it.

const dir = new URL("../../../controller/src/core/stats/", import.meta.url);
const scope: Record<string, unknown> = { ...stats, stirlingRemainder };
const names = Object.keys(scope);
const evaluate = (source: string): unknown =>
  new Function(...names, `return (${source});`)(...names.map((n) => scope[n]));

interface Example {
  file: string;
  call: string;
  output: string;
}

function examples(): Example[] {
  const found: Example[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
    const text = readFileSync(new URL(file, dir), "utf8");
    const pattern = /@example\s+(.+?)\s*(?:\n\s*\*\s*)?\/\/\s*(.+?)\s*(?:\*\/)?$/gm;
    for (const m of text.matchAll(pattern)) {
      const output = (m[2] as string).replace(/\s+\([^)]*\)\s*$/, "");
      found.push({ file, call: m[1] as string, output });
    }
  }
  return found;
}

describe("the statistics core's @example comments", () => {
  const all = examples();

  it("are found in (nearly) every file", () => {
    expect(all.length).toBeGreaterThanOrEqual(30);
  });

  it.each(all.map((e) => [e.file, e.call, e] as const))("%s: %s", (_file, _call, e) => {
    expect(evaluate(e.call)).toEqual(evaluate(e.output));
  });
});
