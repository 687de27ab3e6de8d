import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createPromoter } from "../../../controller/src/promotion/index.js";
import { subject } from "./subject.js";
import { toolDoubles } from "./tool-double.js";

/** Values a shell would split, expand or execute; passed as they are, they stay text. */
const TRICKY = {
  spaced: "two words  and  more",
  quoted: `it's "quoted"`,
  command: "$(touch pwned) `touch pwned2` ; touch pwned3 | cat && echo hi",
  "dash-name": "--not-an-option",
};

async function promoteWith(args: string[], env: Record<string, string> = {}, behaviour = {}) {
  const tools = await toolDoubles({ promote: behaviour });
  const workdir = await mkdtemp(join(tmpdir(), "cohort-command-"));
  const run = createPromoter({ baseDir: workdir }).promote({
    experiment: subject(
      { kind: "command", command: { args: [join(tools.dir, "promote"), ...args], env } },
      TRICKY,
    ),
    version: "v2",
  });
  return { tools, workdir, run };
}

describe("command promotion", () => {
  it("passes variables with spaces, quotes and $() to the program as single, literal arguments", async () => {
    const { tools, workdir, run } = await promoteWith([
      "{{ version }}",
      "{{ spaced }}",
      "{{ quoted }}",
      "{{ command }}",
      "--flag={{ dash-name }}",
    ]);
    await run;
    const [call] = await tools.calls("promote");
    expect(call?.argv).toEqual([
      "v2",
      "two words  and  more",
      `it's "quoted"`,
      "$(touch pwned) `touch pwned2` ; touch pwned3 | cat && echo hi",
      "--flag=--not-an-option",
    ]);
    expect(call?.cwd).toBe(workdir);
    expect(await readdir(workdir)).toEqual([]); // nothing was executed by a shell
  });

  it("gives the program the winner, the experiment and every variable in COHORT_* variables, plus its env templates", async () => {
    const { tools, run } = await promoteWith([], {
      EXTRA: "{{ name }}/{{ version }}: {{ command }}",
    });
    await run;
    const [call] = await tools.calls("promote");
    expect(call?.env).toEqual({
      COHORT_VERSION: "v2",
      COHORT_EXPERIMENT: "checkout",
      COHORT_NAMESPACE: "shop",
      COHORT_VAR_TAG: "2.0.0",
      COHORT_VAR_SPACED: TRICKY.spaced,
      COHORT_VAR_QUOTED: TRICKY.quoted,
      COHORT_VAR_COMMAND: TRICKY.command,
      COHORT_VAR_DASH_NAME: TRICKY["dash-name"],
      EXTRA: `checkout/v2: ${TRICKY.command}`,
    });
  });

  it("fails with the program's exit code and the end of its stderr", async () => {
    const { run } = await promoteWith(
      ["{{ version }}"],
      {},
      { exitCode: 3, stderr: "deploy: cluster unreachable\n" },
    );
    await expect(run).rejects.toThrow(
      /^command promotion of v2 failed: running .*promote v2: .*promote v2 exited with code 3; stderr: deploy: cluster unreachable$/,
    );
  });

  it("keeps only the end of a long stderr in the message", async () => {
    const { run } = await promoteWith(
      [],
      {},
      { exitCode: 1, stderr: `${"noise\n".repeat(500)}the real reason\n` },
    );
    const message = await run.then(
      () => "",
      (e: Error) => e.message,
    );
    expect(message.endsWith("the real reason")).toBe(true);
    expect(message.length).toBeLessThan(900);
  });

  it("refuses a template naming a variable the winner lacks, before running anything", async () => {
    const { tools, run } = await promoteWith(["{{ region }}"]);
    await expect(run).rejects.toThrow(
      "command promotion of v2 failed: filling the arguments: spec.promotion.command.args[1] uses {{ region }}, which version v2 does not define; known: version, name, namespace, command, dash-name, quoted, spaced, tag",
    );
    expect(await tools.calls("promote")).toEqual([]);
  });

  it("in a dry run shows the command line it would run and runs nothing", async () => {
    const tools = await toolDoubles({ promote: {} });
    const result = await createPromoter({ baseDir: "/srv" }).promote({
      experiment: subject(
        { kind: "command", command: { args: [join(tools.dir, "promote"), "{{ spaced }}"] } },
        TRICKY,
      ),
      version: "v2",
      dryRun: true,
    });
    expect(result.steps).toEqual([
      `would run ${join(tools.dir, "promote")} "two words  and  more" in /srv`,
    ]);
    expect(await tools.calls("promote")).toEqual([]);
  });

  it("names a working directory that does not exist rather than blaming the program", async () => {
    const tools = await toolDoubles({ promote: {} });
    const run = createPromoter({ baseDir: "/srv" }).promote({
      experiment: subject({
        kind: "command",
        command: { args: [join(tools.dir, "promote")], dir: "nowhere" },
      }),
      version: "v2",
    });
    await expect(run).rejects.toThrow(
      /could not start: its working directory \/srv\/nowhere does not exist:/,
    );
  });
});
