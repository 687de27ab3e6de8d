import { JsonKind, JsonValue } from "./value";

/** Bounds that keep parsing finite and shallow whatever the input. */
export const MAX_JSON_BYTES: i32 = 1 << 20;
export const MAX_JSON_DEPTH: i32 = 32;

/** The outcome of `parseJson`: a value, or an error with the position it was found at. */
export class JsonResult {
  constructor(
    public value: JsonValue | null,
    public error: string,
  ) {}
}

/**
 * Parses RFC 8259 JSON. Never traps: bad input, nesting deeper than MAX_JSON_DEPTH or text longer
 * than MAX_JSON_BYTES give an error ("at offset N: ..."); duplicate object keys are an error too.
 */
export function parseJson(text: string): JsonResult {
  if (text.length > MAX_JSON_BYTES) {
    return new JsonResult(null, "longer than " + MAX_JSON_BYTES.toString() + " characters");
  }
  const parser = new Parser(text);
  parser.skipSpace();
  const value = parser.value(0);
  if (value !== null) {
    parser.skipSpace();
    if (parser.pos < text.length) parser.fail("unexpected text after the JSON value");
  }
  if (parser.error.length > 0) {
    return new JsonResult(null, "at offset " + parser.pos.toString() + ": " + parser.error);
  }
  return new JsonResult(value, "");
}

class Parser {
  pos: i32 = 0;
  error: string = "";
  constructor(public text: string) {}

  fail(message: string): void {
    if (this.error.length == 0) this.error = message;
  }

  peek(): i32 {
    return this.pos < this.text.length ? this.text.charCodeAt(this.pos) : -1;
  }

  skipSpace(): void {
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c != 0x20 && c != 0x09 && c != 0x0a && c != 0x0d) return;
      this.pos++;
    }
  }

  value(depth: i32): JsonValue | null {
    if (depth >= MAX_JSON_DEPTH) {
      this.fail("nested deeper than " + MAX_JSON_DEPTH.toString() + " levels");
      return null;
    }
    const c = this.peek();
    if (c == 0x7b) return this.object(depth);
    if (c == 0x5b) return this.array(depth);
    if (c == 0x22) {
      const s = this.string();
      if (s === null) return null;
      const v = new JsonValue();
      v.kind = JsonKind.Str;
      v.str = s;
      return v;
    }
    if (c == 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    if (this.literal("true")) return boolValue(true);
    if (this.literal("false")) return boolValue(false);
    if (this.literal("null")) return new JsonValue();
    this.fail(c < 0 ? "unexpected end of input" : "unexpected character");
    return null;
  }

  literal(word: string): bool {
    if (this.pos + word.length > this.text.length) return false;
    for (let i = 0; i < word.length; i++) {
      if (this.text.charCodeAt(this.pos + i) != word.charCodeAt(i)) return false;
    }
    this.pos += word.length;
    return true;
  }

  object(depth: i32): JsonValue | null {
    const v = new JsonValue();
    v.kind = JsonKind.Obj;
    this.pos++;
    this.skipSpace();
    if (this.peek() == 0x7d) {
      this.pos++;
      return v;
    }
    while (true) {
      this.skipSpace();
      if (this.peek() != 0x22) {
        this.fail("expected a string key");
        return null;
      }
      const key = this.string();
      if (key === null) return null;
      if (v.get(key) !== null) {
        this.fail('duplicate key "' + key + '"');
        return null;
      }
      this.skipSpace();
      if (this.peek() != 0x3a) {
        this.fail("expected ':'");
        return null;
      }
      this.pos++;
      this.skipSpace();
      const item = this.value(depth + 1);
      if (item === null) return null;
      v.keys.push(key);
      v.items.push(item);
      this.skipSpace();
      const c = this.peek();
      this.pos++;
      if (c == 0x7d) return v;
      if (c != 0x2c) {
        this.pos--;
        this.fail("expected ',' or '}'");
        return null;
      }
    }
  }

  array(depth: i32): JsonValue | null {
    const v = new JsonValue();
    v.kind = JsonKind.Arr;
    this.pos++;
    this.skipSpace();
    if (this.peek() == 0x5d) {
      this.pos++;
      return v;
    }
    while (true) {
      this.skipSpace();
      const item = this.value(depth + 1);
      if (item === null) return null;
      v.items.push(item);
      this.skipSpace();
      const c = this.peek();
      this.pos++;
      if (c == 0x5d) return v;
      if (c != 0x2c) {
        this.pos--;
        this.fail("expected ',' or ']'");
        return null;
      }
    }
  }

  string(): string | null {
    this.pos++;
    let out = "";
    let chunk = this.pos;
    while (true) {
      const c = this.peek();
      if (c < 0) {
        this.fail("unterminated string");
        return null;
      }
      if (c == 0x22) {
        out += this.text.substring(chunk, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) {
        this.fail("control character in string");
        return null;
      }
      if (c != 0x5c) {
        this.pos++;
        continue;
      }
      out += this.text.substring(chunk, this.pos);
      this.pos++;
      const e = this.peek();
      this.pos++;
      if (e == 0x22) out += '"';
      else if (e == 0x5c) out += "\\";
      else if (e == 0x2f) out += "/";
      else if (e == 0x62) out += "\b";
      else if (e == 0x66) out += "\f";
      else if (e == 0x6e) out += "\n";
      else if (e == 0x72) out += "\r";
      else if (e == 0x74) out += "\t";
      else if (e == 0x75) {
        const code = this.hex4();
        if (code < 0) return null;
        out += String.fromCharCode(code);
      } else {
        this.pos--;
        this.fail("invalid escape");
        return null;
      }
      chunk = this.pos;
    }
  }

  hex4(): i32 {
    if (this.pos + 4 > this.text.length) {
      this.fail("invalid \\u escape");
      return -1;
    }
    let code = 0;
    for (let i = 0; i < 4; i++) {
      const c = this.text.charCodeAt(this.pos + i);
      let d = -1;
      if (c >= 0x30 && c <= 0x39) d = c - 0x30;
      else if (c >= 0x61 && c <= 0x66) d = c - 0x57;
      else if (c >= 0x41 && c <= 0x46) d = c - 0x37;
      if (d < 0) {
        this.fail("invalid \\u escape");
        return -1;
      }
      code = (code << 4) | d;
    }
    this.pos += 4;
    return code;
  }

  number(): JsonValue | null {
    const start = this.pos;
    if (this.peek() == 0x2d) this.pos++;
    if (this.peek() == 0x30) {
      this.pos++;
    } else if (!this.digits()) {
      this.fail("invalid number");
      return null;
    }
    if (this.peek() == 0x2e) {
      this.pos++;
      if (!this.digits()) {
        this.fail("invalid number");
        return null;
      }
    }
    const e = this.peek();
    if (e == 0x65 || e == 0x45) {
      this.pos++;
      const sign = this.peek();
      if (sign == 0x2b || sign == 0x2d) this.pos++;
      if (!this.digits()) {
        this.fail("invalid number");
        return null;
      }
    }
    const v = new JsonValue();
    v.kind = JsonKind.Num;
    v.num = numberValue(this.text, start, this.pos);
    return v;
  }

  digits(): bool {
    const start = this.pos;
    while (true) {
      const c = this.peek();
      if (c < 0x30 || c > 0x39) break;
      this.pos++;
    }
    return this.pos > start;
  }
}

function boolValue(b: bool): JsonValue {
  const v = new JsonValue();
  v.kind = JsonKind.Bool;
  v.bool = b;
  return v;
}

// Value of a number already checked against the JSON grammar. Exact for integers up to 2^53,
// which is all the configuration needs; fractions and exponents are close enough to compare.
// (A hand-written loop instead of parseFloat keeps strtod's big tables out of the module.)
function numberValue(text: string, start: i32, end: i32): f64 {
  let i = start;
  let negative = false;
  if (text.charCodeAt(i) == 0x2d) {
    negative = true;
    i++;
  }
  let value: f64 = 0;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    value = value * 10 + <f64>(c - 0x30);
    i++;
  }
  if (i < end && text.charCodeAt(i) == 0x2e) {
    i++;
    let scale: f64 = 0.1;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c < 0x30 || c > 0x39) break;
      value += <f64>(c - 0x30) * scale;
      scale *= 0.1;
      i++;
    }
  }
  if (i < end) {
    i++;
    let negativeExponent = false;
    const sign = text.charCodeAt(i);
    if (sign == 0x2b || sign == 0x2d) {
      negativeExponent = sign == 0x2d;
      i++;
    }
    let exponent = 0;
    while (i < end) {
      if (exponent < 1000) exponent = exponent * 10 + (text.charCodeAt(i) - 0x30);
      i++;
    }
    for (let k = 0; k < exponent && value != 0 && isFinite(value); k++) {
      value = negativeExponent ? value / 10 : value * 10;
    }
  }
  return negative ? -value : value;
}
