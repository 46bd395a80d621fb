import { readFileSync } from 'node:fs';
import { decodeText } from './decodeText.js';
import { urlProblem } from './urlProblem.js';

/** A parsed JSON file, or a one-line reason it could not be read. */
export type ReadResult = { ok: true; value: unknown; text: string } | { ok: false; message: string };

/**
 * Reads and parses a JSON file. Never throws: a missing file or bad JSON becomes a message that
 * names the file, so every command reports it the same way. `piped` as in `readText`.
 */
export function readJson(path: string, piped: string): ReadResult {
  const text = readText(path, piped);
  if (typeof text !== 'string') return text;
  // JSON.parse would say "Unexpected end of JSON input", which reads as a file cut short. Empty
  // stdin is most often a producer that failed before the pipe (`curl -fsSL URL | seglet check -`).
  if (text.trim() === '') return { ok: false, message: `seglet: ${fileName(path)} is empty${path === STDIN ? ': nothing was piped or redirected in' : ''}` };
  try {
    return { ok: true, value: JSON.parse(text) as unknown, text };
  } catch (e) {
    return { ok: false, message: `seglet: ${fileName(path)} is not valid JSON: ${withLine((e as Error).message, text)}` };
  }
}

/**
 * The parser's message with the line and column of its character position, as Node 22's V8 writes
 * them: Node 20's gives only the position, which in a rule set of a few hundred lines is no help.
 */
function withLine(message: string, text: string): string {
  const at = /at position (\d+)/.exec(message);
  if (at === null || /\(line \d+ column \d+\)/.test(message)) return message;
  const position = Number(at[1]);
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return `${message} (line ${line} column ${position - before.lastIndexOf('\n')})`;
}

/** The path a command reads standard input from. */
export const STDIN = '-';

/** How messages name a file: `stdin` for `-`. */
export function fileName(path: string): string {
  return path === STDIN ? 'stdin' : path;
}

/**
 * Reads a text file (standard input for `-`), or returns why it could not be read. The text is
 * UTF-8, or UTF-16 with a byte order mark; any byte order mark (which Windows editors write) is
 * dropped, since `JSON.parse` would refuse it. See `decodeText`. `piped` is the command line
 * that reads this input from standard input (`seglet check -`), shown when `path` is a URL.
 */
export function readText(path: string, piped: string): string | { ok: false; message: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path === STDIN ? 0 : path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? urlProblem(path, piped) ?? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
    return { ok: false, message: `seglet: cannot read ${fileName(path)}: ${why}` };
  }
  const decoded = decodeText(bytes);
  return decoded.ok ? decoded.text : { ok: false, message: `seglet: cannot read ${fileName(path)}: ${decoded.problem}` };
}

/** The text without a leading UTF-8 byte order mark (U+FEFF). */
export function stripBom(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}
