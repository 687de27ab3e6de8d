import { CohortError } from "../core/errors.js";

/** One sample line of the Prometheus text format. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  /** May be NaN or ±Infinity, as the format allows. */
  value: number;
  timestampMs?: number;
}

/** A parsed exposition: the samples in order and the `# TYPE` of each family. */
export interface Exposition {
  samples: Sample[];
  types: Map<string, string>;
}

/** The text is not valid Prometheus exposition; names the line and what was wrong. */
export class ExpositionError extends CohortError {
  override readonly name = "ExpositionError";
  constructor(
    readonly line: number,
    detail: string,
  ) {
    super(`line ${line} of the exposition: ${detail}`);
  }
}

const NAME_START = /[a-zA-Z_:]/;
const NAME_CHAR = /[a-zA-Z0-9_:]/;

/** Go's strconv.ParseFloat as Prometheus uses it: decimals, exponents, NaN, ±Inf in any case. */
export function parseFloatStrict(text: string): number | undefined {
  const t = text.toLowerCase();
  if (t === "nan") return Number.NaN;
  if (t === "+inf" || t === "inf" || t === "+infinity" || t === "infinity") return Infinity;
  if (t === "-inf" || t === "-infinity") return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}

/** Reads one line; `pos` walks through it. */
class LineReader {
  pos = 0;
  constructor(
    readonly text: string,
    readonly lineNo: number,
  ) {}

  fail(detail: string, at = this.pos): never {
    throw new ExpositionError(this.lineNo, `${detail} at column ${at + 1}: ${this.text}`);
  }
  skipBlanks(): void {
    while (this.text[this.pos] === " " || this.text[this.pos] === "\t") this.pos++;
  }
  name(what: string): string {
    const start = this.pos;
    if (!NAME_START.test(this.text[this.pos] ?? "")) this.fail(`expected a ${what}`);
    while (NAME_CHAR.test(this.text[this.pos] ?? "")) this.pos++;
    return this.text.slice(start, this.pos);
  }
  expect(ch: string): void {
    if (this.text[this.pos] !== ch) this.fail(`expected '${ch}'`);
    this.pos++;
  }
  /** A quoted label value with the format's escapes: \\, \" and \n. */
  quoted(): string {
    const start = this.pos;
    this.expect('"');
    let out = "";
    for (;;) {
      const c = this.text[this.pos++];
      if (c === undefined) this.fail("unterminated label value", start);
      if (c === '"') return out;
      if (c !== "\\") {
        out += c;
        continue;
      }
      const e = this.text[this.pos++];
      if (e === "n") out += "\n";
      else if (e === "\\" || e === '"') out += e;
      // Other escapes are kept as written, as Prometheus's own parser does.
      else if (e !== undefined) out += `\\${e}`;
      else this.fail("unterminated label value", start);
    }
  }
  labels(): Record<string, string> {
    const labels: Record<string, string> = {};
    this.expect("{");
    for (;;) {
      this.skipBlanks();
      if (this.text[this.pos] === "}") break;
      const start = this.pos;
      const name = this.name("label name");
      if (Object.hasOwn(labels, name)) this.fail(`duplicate label ${name}`, start);
      this.skipBlanks();
      this.expect("=");
      this.skipBlanks();
      labels[name] = this.quoted();
      this.skipBlanks();
      if (this.text[this.pos] === ",") this.pos++;
      else if (this.text[this.pos] !== "}") this.fail("expected ',' or '}'");
    }
    this.pos++;
    return labels;
  }
  word(): string {
    const start = this.pos;
    while (
      this.pos < this.text.length &&
      this.text[this.pos] !== " " &&
      this.text[this.pos] !== "\t"
    )
      this.pos++;
    return this.text.slice(start, this.pos);
  }
}

function parseSample(r: LineReader): Sample {
  const name = r.name("metric name");
  r.skipBlanks();
  const labels = r.text[r.pos] === "{" ? r.labels() : {};
  r.skipBlanks();
  const valueText = r.word();
  const value = parseFloatStrict(valueText);
  if (value === undefined) r.fail(`bad value '${valueText}'`);
  const sample: Sample = { name, labels, value };
  r.skipBlanks();
  if (r.pos < r.text.length) {
    const ts = r.word();
    if (!/^-?\d+$/.test(ts)) r.fail(`bad timestamp '${ts}'`);
    sample.timestampMs = Number(ts);
    r.skipBlanks();
    if (r.pos < r.text.length) r.fail("unexpected text after the timestamp");
  }
  return sample;
}

/**
 * Parses the Prometheus text exposition format (version 0.0.4) as Envoy's admin and Prometheus
 * clients write it: `# TYPE` and `# HELP` lines, other comments, label values with escapes,
 * NaN and ±Inf values, optional timestamps, CRLF line ends. Malformed lines raise
 * {@link ExpositionError} naming the line, rather than being skipped into wrong numbers.
 */
export function parseExposition(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const lines = text.split("\n");
  lines.forEach((raw, i) => {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const r = new LineReader(line, i + 1);
    r.skipBlanks();
    if (r.pos === line.length) return;
    if (line[r.pos] === "#") {
      const m = /^#\s+TYPE\s+(\S+)\s+(\S+)\s*$/.exec(line.slice(r.pos));
      if (m) types.set(m[1] as string, (m[2] as string).toLowerCase());
      return;
    }
    samples.push(parseSample(r));
  });
  return { samples, types };
}
