/**
 * The query language of `provider: builtin` custom metrics: a selector sum over Prometheus
 * exposition text, `sum(orders_total{version="v2", region!="eu"})` — the optional `sum(...)`, a
 * metric name, and label matchers with `=` or `!=` on double-quoted values. Pure syntax: the
 * providers evaluate it, the experiment rules check it at validate time.
 */
import { CohortError } from "../errors.js";

export interface LabelMatcher {
  label: string;
  op: "=" | "!=";
  value: string;
}

export interface SelectorSum {
  metric: string;
  matchers: LabelMatcher[];
}

/** What to write instead, appended to every refusal. */
export const SELECTOR_SUM_HINT =
  'builtin queries are selector sums like sum(orders_total{version="{{ version }}"}); use provider: prometheus for PromQL';

/** The query is not a selector sum; `detail` says where and why. */
export class SelectorSumError extends CohortError {
  override readonly name = "SelectorSumError";
  constructor(
    readonly query: string,
    readonly detail: string,
  ) {
    super(`${detail} in ${JSON.stringify(query)}; ${SELECTOR_SUM_HINT}`);
  }
}

const NAME_START = /[a-zA-Z_:]/;
const NAME_CHAR = /[a-zA-Z0-9_:]/;
const LABEL_START = /[a-zA-Z_]/;
const LABEL_CHAR = /[a-zA-Z0-9_]/;

/** Reads `text`; errors quote `shown`, the same text before its placeholders were filled. */
class Scanner {
  pos = 0;
  constructor(
    readonly text: string,
    readonly shown: string,
  ) {}
  fail(detail: string, at = this.pos): never {
    throw new SelectorSumError(this.shown, `${detail} at column ${at + 1}`);
  }
  blanks(): void {
    while (/\s/.test(this.text[this.pos] ?? "")) this.pos++;
  }
  peek(): string | undefined {
    return this.text[this.pos];
  }
  found(): string {
    const c = this.shown[this.pos];
    return c === undefined ? "the end" : `'${c}'`;
  }
  ident(start: RegExp, rest: RegExp, what: string): string {
    const from = this.pos;
    if (!start.test(this.peek() ?? "")) this.fail(`expected a ${what}, found ${this.found()}`);
    while (rest.test(this.peek() ?? "")) this.pos++;
    return this.text.slice(from, this.pos);
  }
  expect(ch: string): void {
    if (this.peek() !== ch) this.fail(`expected '${ch}', found ${this.found()}`);
    this.pos++;
  }
  /** A double-quoted value with PromQL's escapes \\, \" and \n. */
  quoted(): string {
    const from = this.pos;
    if (this.peek() !== '"') this.fail(`expected a double-quoted value, found ${this.found()}`);
    this.pos++;
    let out = "";
    for (;;) {
      const c = this.text[this.pos++];
      if (c === undefined) this.fail("unterminated label value", from);
      if (c === '"') return out;
      if (c !== "\\") out += c;
      else {
        const e = this.text[this.pos++];
        if (e === "n") out += "\n";
        else if (e === "\\" || e === '"') out += e;
        else this.fail(`unknown escape \\${e ?? ""}`, this.pos - 2);
      }
    }
  }
  matcher(): LabelMatcher {
    const label = this.ident(LABEL_START, LABEL_CHAR, "label name");
    this.blanks();
    const at = this.pos;
    let op: LabelMatcher["op"];
    if (this.text.startsWith("=~", at) || this.text.startsWith("!~", at))
      this.fail(`regex matcher ${this.text.slice(at, at + 2)} is not supported (only = and !=)`);
    if (this.text.startsWith("!=", at)) op = "!=";
    else if (this.peek() === "=") op = "=";
    else this.fail(`expected '=' or '!=' after label ${label}, found ${this.found()}`);
    this.pos += op.length;
    this.blanks();
    return { label, op, value: this.quoted() };
  }
  matchers(): LabelMatcher[] {
    const out: LabelMatcher[] = [];
    this.expect("{");
    for (;;) {
      this.blanks();
      if (this.peek() === "}") break;
      out.push(this.matcher());
      this.blanks();
      if (this.peek() === ",") this.pos++;
      else if (this.peek() !== "}") this.fail(`expected ',' or '}', found ${this.found()}`);
    }
    this.pos++;
    return out;
  }
}

/**
 * Parses `sum(name{label="value", other!="x"})`, `name{...}` or `name`; anything else (functions,
 * ranges, arithmetic, `by`, regex matchers) raises {@link SelectorSumError} naming the column.
 */
export function parseSelectorSum(query: string): SelectorSum {
  return parseAs(query, query);
}

function parseAs(query: string, shown: string): SelectorSum {
  const s = new Scanner(query, shown);
  s.blanks();
  let first = s.pos;
  let metric = s.ident(NAME_START, NAME_CHAR, "metric name");
  s.blanks();
  const wrapped = metric === "sum" && s.peek() === "(";
  if (wrapped) {
    s.pos++;
    s.blanks();
    first = s.pos;
    metric = s.ident(NAME_START, NAME_CHAR, "metric name");
    s.blanks();
  }
  if (s.peek() === "(") s.fail(`function ${metric}(...) is not supported (only sum)`, first);
  const matchers = s.peek() === "{" ? s.matchers() : [];
  s.blanks();
  if (wrapped) {
    s.expect(")");
    s.blanks();
  }
  if (s.pos < query.length) s.fail(`unexpected ${s.found()}`);
  return { metric, matchers };
}

/**
 * Checks a query template's syntax before any value is known: each placeholder stands for a plain
 * value of its own length, so the columns of an error are the template's. `{{ elapsed }}` is
 * refused: the counts are cumulative, there is no range to fill.
 */
export function checkSelectorSumTemplate(template: string): void {
  if (/\{\{\s*elapsed\s*\}\}/.test(template))
    throw new SelectorSumError(
      template,
      "{{ elapsed }} has no meaning here: the counts are cumulative since the series began",
    );
  parseAs(
    template.replace(/\{\{[^}]*\}\}/g, (m) => "x".repeat(m.length)),
    template,
  );
}
