import { CohortError } from "../errors.js";

/** One thing wrong with an experiment, naming the field: `spec.criteria.objectives[1].upperLimit`. */
export interface Problem {
  path: string;
  message: string;
  /** 1-based line in the source file, when the experiment came from YAML or JSON text. */
  line?: number;
}

/** Where a problem sits, as keys and indexes from the document root. */
export type FieldPath = readonly (string | number)[];

/**
 * `["spec", "candidates", 0, "name"]` → `spec.candidates[0].name`; a key with other characters is
 * quoted (`metadata.labels["app.kubernetes.io/name"]`); the root is `(document)`.
 */
export function renderPath(at: FieldPath): string {
  let out = "";
  for (const key of at) {
    if (typeof key === "number") out += `[${key}]`;
    else if (!/^[A-Za-z0-9_-]+$/.test(key)) out += `[${JSON.stringify(key)}]`;
    else out += out === "" ? key : `.${key}`;
  }
  return out === "" ? "(document)" : out;
}

/** `exp.yaml:12: spec.foo: unknown field` — the line `cohort validate` prints for a problem. */
export function formatProblem(problem: Problem, file?: string): string {
  const where = [file, problem.line].filter((part) => part !== undefined).join(":");
  return `${where === "" ? "" : `${where}: `}${problem.path}: ${problem.message}`;
}

/** An experiment that fails validation; the message lists every problem, one per line. */
export class ExperimentInvalid extends CohortError {
  override readonly name = "ExperimentInvalid";
  readonly problems: Problem[];
  readonly file?: string;

  constructor(problems: Problem[], file?: string, options?: { cause?: unknown }) {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    const lines = problems.map((p) => `  ${formatProblem(p, file)}`).join("\n");
    super(
      `experiment${file === undefined ? "" : ` ${file}`} is invalid (${count}):\n${lines}`,
      options,
    );
    this.problems = problems;
    if (file !== undefined) this.file = file;
  }
}

/** True when `e` is an `ExperimentInvalid`. */
export function isExperimentInvalid(e: unknown): e is ExperimentInvalid {
  return e instanceof ExperimentInvalid;
}

/** `a`, `a and b`, `a, b and c`: for lists inside messages. */
export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}
