/** Writes the run's HTML report (`controller/src/report/`) from the state file's content. */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { CohortError } from "../core/errors.js";
import type { ExperimentSpec } from "../core/experiment/index.js";
import { renderReport } from "../report/index.js";
import type { LocalState } from "./state-file.js";

/** The report's default path: beside the state file, `<name>.report.html`. */
export function defaultReportPath(statePath: string, name: string): string {
  return `${dirname(statePath)}/${name}.report.html`;
}

export async function writeReport(
  path: string,
  state: LocalState,
  spec: ExperimentSpec,
): Promise<string> {
  const html = renderReport({
    name: state.experiment,
    spec,
    status: state.status,
    history: state.history,
    promotion: state.promotion,
    observed: state.observed,
  });
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, html);
  } catch (e) {
    throw new CohortError(`cannot write the report ${path}`, { cause: e });
  }
  return path;
}
