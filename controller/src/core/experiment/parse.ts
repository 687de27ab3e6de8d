import { type Document, isMap, isScalar, isSeq, LineCounter, parseAllDocuments } from "yaml";
import type { RawProblem } from "./check-schema.js";
import { type ResolvedExperiment, withDefaults } from "./defaults.js";
import { ExperimentInvalid, type FieldPath, type Problem, renderPath } from "./problems.js";
import type { Experiment } from "./schema.js";
import { findProblems } from "./validate.js";

/**
 * The line of the deepest key along `at` that exists in the document: a field's own key line, or
 * for a missing field the line of its parent's key.
 */
function lineOf(doc: Document, lines: LineCounter, at: FieldPath): number | undefined {
  let node: unknown = doc.contents;
  let offset = (node as { range?: number[] } | null)?.range?.[0];
  for (const key of at) {
    let next: { node: unknown; start: number | undefined } | undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
      if (pair !== undefined) {
        next = { node: pair.value, start: (pair.key as { range?: number[] }).range?.[0] };
      }
    } else if (isSeq(node) && typeof key === "number") {
      const item = node.items[key];
      if (item !== undefined)
        next = { node: item, start: (item as { range?: number[] }).range?.[0] };
    }
    if (next === undefined) break;
    node = next.node;
    offset = next.start ?? offset;
  }
  return offset === undefined ? undefined : lines.linePos(offset).line;
}

function syntaxProblems(docs: Document[]): Problem[] {
  const out: Problem[] = [];
  for (const doc of docs) {
    for (const error of doc.errors) {
      // The library's message ends with "at line L, column C:" and a code frame; keep the sentence.
      const sentence = error.message.split(" at line ")[0] ?? error.message;
      const pos = error.linePos?.[0];
      const problem: Problem = {
        path: "(yaml)",
        message: `YAML syntax error${pos === undefined ? "" : ` at line ${pos.line}, column ${pos.col}`}: ${sentence}`,
      };
      if (pos !== undefined) problem.line = pos.line;
      out.push(problem);
    }
  }
  return out;
}

/**
 * Parses one Experiment from YAML (or JSON) text, validates it and applies the defaults.
 * Throws `ExperimentInvalid` listing every problem, each with its line in `text`.
 */
export function parseExperiment(text: string, file?: string): ResolvedExperiment {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: true });
  if (!Array.isArray(docs)) {
    throw new ExperimentInvalid([{ path: "(yaml)", message: "not a YAML document" }], file);
  }
  const syntax = syntaxProblems(docs);
  if (syntax.length > 0) throw new ExperimentInvalid(syntax, file);
  const [doc, ...rest] = docs;
  if (doc === undefined) {
    throw new ExperimentInvalid([{ path: "(document)", message: "the file is empty" }], file);
  }
  if (rest.length > 0) {
    throw new ExperimentInvalid(
      [
        {
          path: "(yaml)",
          message: `expected one document, found ${docs.length} (separated by ---)`,
        },
      ],
      file,
    );
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  const problems = findProblems(value).map((p: RawProblem) => {
    const problem: Problem = { path: renderPath(p.at), message: p.message };
    const line = lineOf(doc, lines, p.at);
    if (line !== undefined) problem.line = line;
    return problem;
  });
  if (problems.length > 0) {
    // In file order, so the list reads top to bottom (sort is stable within a line).
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    throw new ExperimentInvalid(problems, file);
  }
  const experiment = value as Experiment;
  return { ...experiment, spec: withDefaults(experiment.spec) };
}
