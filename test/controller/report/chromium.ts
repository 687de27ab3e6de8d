/** Debian's headless Chromium, for tests that open a report the way a person would. */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** What headless Chromium makes of `file`: the DOM after parsing and layout, or a screenshot. */
export async function chromium(file: string, mode: "dump-dom" | { screenshot: string }) {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `no Chromium at ${CHROMIUM}: install it (apt-get install chromium, as .ci/run does) or set CHROMIUM`,
    );
  const profile = await mkdtemp(join(tmpdir(), "cohort-chromium-"));
  try {
    const { stdout } = await run(
      CHROMIUM,
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        `--user-data-dir=${profile}`,
        "--window-size=1100,2400",
        ...(mode === "dump-dom" ? ["--dump-dom"] : [`--screenshot=${mode.screenshot}`]),
        pathToFileURL(file).href,
      ],
      { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
    );
    return stdout;
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}
