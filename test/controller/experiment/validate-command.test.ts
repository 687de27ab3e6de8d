import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { validateFiles } from "../../../controller/src/cli/commands/validate.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const run = promisify(execFile);
/** Starting Node with tsx takes a moment, more on a busy machine. */
const SPAWN_TIMEOUT = 60_000;

/** Runs the real `cohort` entry point (TypeScript through tsx, so no build is needed). */
async function cohort(...args: string[]) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ["--import", "tsx", "controller/src/cli/cohort.ts", ...args],
      { cwd: root },
    );
    return { code: 0, stdout, stderr };
  } catch (e) {
    const { code, stdout, stderr } = e as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

describe("cohort validate", () => {
  it("says each valid file is valid, with its pattern and number of versions", async () => {
    const report = await validateFiles([
      "deploy/examples/experiments/abn.yaml",
      "deploy/examples/experiments/conformance.yaml",
      "test/fixtures/experiments/abn.json",
    ]);
    expect(report).toEqual({
      ok: true,
      valid: [
        "deploy/examples/experiments/abn.yaml: valid (ABN, 4 versions)",
        "deploy/examples/experiments/conformance.yaml: valid (Conformance, 1 version)",
        "test/fixtures/experiments/abn.json: valid (ABN, 3 versions)",
      ],
      problems: [],
    });
  });

  it("prints every problem of every file and names a missing file", async () => {
    const report = await validateFiles([
      "test/fixtures/experiments/syntax-error.yaml",
      "deploy/examples/experiments/canary.yaml",
      "test/fixtures/experiments/missing.yaml",
      "test/fixtures/experiments/many-problems.yaml",
    ]);
    expect(report.ok).toBe(false);
    expect(report.valid).toEqual([
      "deploy/examples/experiments/canary.yaml: valid (Canary, 2 versions)",
    ]);
    expect(report.problems).toEqual([
      "test/fixtures/experiments/syntax-error.yaml:8: (yaml): YAML syntax error at line 8, column 3: Flow sequence in block collection must be sufficiently indented and end with a ]",
      "test/fixtures/experiments/missing.yaml: cannot read (no such file)",
      "test/fixtures/experiments/many-problems.yaml:9: spec.candidates: AB needs exactly one candidate, found 2: v2, v3",
      "test/fixtures/experiments/many-problems.yaml:12: spec.criteria.reward: AB needs a reward to pick the winner",
      'test/fixtures/experiments/many-problems.yaml:15: spec.criteria.objectives[0].upperLimit: must be a number, not the string "50ms" (write 50, without units or quotes)',
      "test/fixtures/experiments/many-problems.yaml:16: spec.criteria.objectives[1]: needs upperLimit, lowerLimit or both",
      "test/fixtures/experiments/many-problems.yaml:17: spec.criteria.objectives[1].upperlimit: unknown field; did you mean upperLimit?",
      "test/fixtures/experiments/many-problems.yaml:19: spec.traffic.mirror.version: v2 is in the split (spec.candidates[0]); the mirror version must be a separate version that only gets copies",
    ]);
  });

  it("says a directory cannot be read as an experiment", async () => {
    const report = await validateFiles(["deploy/examples"]);
    expect(report.problems).toEqual(["deploy/examples: cannot read (it is a directory)"]);
  });

  it(
    "exits 0 with valid lines on stdout, and 1 with problems on stderr",
    async () => {
      const good = await cohort("validate", "deploy/examples/experiments/canary.yaml");
      expect(good).toEqual({
        code: 0,
        stdout: "deploy/examples/experiments/canary.yaml: valid (Canary, 2 versions)\n",
        stderr: "",
      });
      const bad = await cohort(
        "validate",
        "deploy/examples/experiments/ab.yaml",
        "test/fixtures/experiments/duplicate-key.yaml",
      );
      expect(bad).toEqual({
        code: 1,
        stdout: "deploy/examples/experiments/ab.yaml: valid (AB, 2 versions)\n",
        stderr:
          "test/fixtures/experiments/duplicate-key.yaml:8: (yaml): YAML syntax error at line 8, column 3: Map keys must be unique\n",
      });
    },
    SPAWN_TIMEOUT,
  );

  it(
    "asks for at least one file",
    async () => {
      const result = await cohort("validate");
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain("missing required argument 'files'");
    },
    SPAWN_TIMEOUT,
  );
});
