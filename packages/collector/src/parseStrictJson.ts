import type { JsonValue } from './types.js';

/** Raised by {@link parseStrictJson}; `offset` is the character position of the problem. */
export class JsonSyntaxError extends Error {
  /** Character offset into the decoded text (or byte offset for encoding problems). */
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`seglet: ${message} at offset ${offset}`);
    this.name = 'JsonSyntaxError';
    this.offset = offset;
  }
}

// Deep nesting would overflow the parser's stack; nothing seglet accepts is deeper than 3 levels.
const MAX_DEPTH = 64;
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Parses a request body as strict JSON: UTF-8 only (invalid sequences rejected), no byte order
 * mark, no duplicate keys, no lone surrogates (I-JSON, RFC 7493). `JSON.parse` accepts the last
 * two silently, which would let two parties read one body differently.
 * Objects are created without a prototype, so a `__proto__` key is plain data.
 */
export function parseStrictJson(bytes: Uint8Array): JsonValue {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    throw new JsonSyntaxError('byte order mark not allowed', 0);
  }
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new JsonSyntaxError('invalid UTF-8', firstInvalidUtf8(bytes));
  }
  return parseStrictJsonText(text);
}

/** {@link parseStrictJson} for text that is already decoded. */
export function parseStrictJsonText(text: string): JsonValue {
  const p = new Parser(text);
  p.ws();
  const value = p.value(0);
  p.ws();
  if (p.i !== text.length) p.fail('unexpected data after the JSON value');
  return value;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// Raw control characters are not allowed in JSON strings, so the run stops at them.
// eslint-disable-next-line no-control-regex
const PLAIN = /[^"\\\u0000-\u001f\ud800-\udfff]*/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class Parser {
  i = 0;
  constructor(private readonly s: string) {}

  fail(message: string): never {
    throw new JsonSyntaxError(message, this.i);
  }

  ws(): void {
    const s = this.s;
    let c = s.charCodeAt(this.i);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = s.charCodeAt(++this.i);
  }

  value(depth: number): JsonValue {
    const c = this.s[this.i];
    if (c === '{') return this.object(depth + 1);
    if (c === '[') return this.array(depth + 1);
    if (c === '"') return this.string();
    if (c === 't') return this.word('true', true);
    if (c === 'f') return this.word('false', false);
    if (c === 'n') return this.word('null', null);
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(this.s);
    if (!m) this.fail(c === undefined ? 'unexpected end of input' : 'unexpected character');
    this.i += m[0].length;
    return Number(m[0]);
  }

  word<T>(w: string, v: T): T {
    if (!this.s.startsWith(w, this.i)) this.fail('unexpected character');
    this.i += w.length;
    return v;
  }

  object(depth: number): JsonValue {
    if (depth > MAX_DEPTH) this.fail('nesting too deep');
    const out = Object.create(null) as Record<string, JsonValue>;
    const seen = new Set<string>();
    this.i++;
    this.ws();
    if (this.s[this.i] === '}') { this.i++; return out; }
    for (;;) {
      if (this.s[this.i] !== '"') this.fail('expected a string key');
      const at = this.i;
      const key = this.string();
      if (seen.has(key)) { this.i = at; this.fail(`duplicate key "${key.slice(0, 64)}"`); }
      seen.add(key);
      this.ws();
      if (this.s[this.i] !== ':') this.fail('expected ":"');
      this.i++;
      this.ws();
      out[key] = this.value(depth);
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') return out;
      if (c !== ',') { this.i--; this.fail('expected "," or "}"'); }
      this.ws();
    }
  }

  array(depth: number): JsonValue {
    if (depth > MAX_DEPTH) this.fail('nesting too deep');
    const out: JsonValue[] = [];
    this.i++;
    this.ws();
    if (this.s[this.i] === ']') { this.i++; return out; }
    for (;;) {
      out.push(this.value(depth));
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') return out;
      if (c !== ',') { this.i--; this.fail('expected "," or "]"'); }
      this.ws();
    }
  }

  string(): string {
    const s = this.s;
    this.i++;
    let out = '';
    for (;;) {
      PLAIN.lastIndex = this.i;
      const run = PLAIN.exec(s)?.[0] ?? '';
      out += run;
      this.i += run.length;
      const c = s.charCodeAt(this.i);
      if (c === 0x22) { this.i++; return out; }
      if (c === 0x5c) {
        const e = s[this.i + 1];
        if (e === 'u') {
          const unit = this.hex4(this.i + 2);
          this.i += 6;
          if (unit >= 0xd800 && unit <= 0xdbff) {
            const low = s.startsWith('\\u', this.i) ? this.hex4(this.i + 2) : -1;
            if (low < 0xdc00 || low > 0xdfff) this.fail('lone surrogate');
            this.i += 6;
            out += String.fromCharCode(unit, low);
          } else if (unit >= 0xdc00 && unit <= 0xdfff) {
            this.i -= 6;
            this.fail('lone surrogate');
          } else {
            out += String.fromCharCode(unit);
          }
          continue;
        }
        const r = e === undefined ? undefined : ESCAPES[e];
        if (r === undefined) this.fail('invalid escape');
        out += r;
        this.i += 2;
        continue;
      }
      if (Number.isNaN(c)) this.fail('unterminated string');
      if (c >= 0xd800 && c <= 0xdbff) {
        const low = s.charCodeAt(this.i + 1);
        // A valid pair came from valid UTF-8; a lone half cannot, but text input may carry one.
        if (low >= 0xdc00 && low <= 0xdfff) { out += s.slice(this.i, this.i + 2); this.i += 2; continue; }
      }
      this.fail(c < 0x20 ? 'control character in string' : 'lone surrogate');
    }
  }

  hex4(at: number): number {
    const h = this.s.slice(at, at + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(h)) { this.i = at; this.fail('invalid \\u escape'); }
    return parseInt(h, 16);
  }
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  // Binary search on the longest valid prefix keeps this linear-ish and dependency-free.
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try { new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true }); lo = mid; } catch { hi = mid - 1; }
  }
  return lo;
}
