/** Reading an Experiment from a file: the file-system edge around the pure `parseExperiment`. */
import { readFile } from "node:fs/promises";
import { CohortError } from "./core/errors.js";
import { parseExperiment, type ResolvedExperiment } from "./core/experiment/index.js";

/** The experiment file could not be read (missing, a directory, no permission). */
export class ExperimentFileUnreadable extends CohortError {
  override readonly name = "ExperimentFileUnreadable";
  /** Why, in a few words: "no such file". */
  readonly reason: string;
  constructor(
    readonly file: string,
    options: { cause: unknown },
  ) {
    const code = (options.cause as { code?: string }).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "it is a directory"
          : code === "EACCES"
            ? "permission denied"
            : String((options.cause as Error).message ?? options.cause);
    super(`cannot read experiment file ${file}: ${why}`, options);
    this.reason = why;
  }
}

/**
 * Reads, parses and validates one Experiment (YAML or JSON) with its defaults applied. Throws
 * `ExperimentFileUnreadable`, or `ExperimentInvalid` listing every problem with its line.
 */
export async function loadExperimentFile(path: string): Promise<ResolvedExperiment> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw new ExperimentFileUnreadable(path, { cause });
  }
  return parseExperiment(text, path);
}
