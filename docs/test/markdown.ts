// Reading the docs' Markdown: fenced code blocks, relative links and heading anchors.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The docs folder. */
export const DOCS = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The Markdown pages of the docs folder, sorted. */
export const FILES = readdirSync(DOCS).filter((name) => name.endsWith('.md')).sort();

/** One fenced code block and the line of its opening fence. */
export interface Block { file: string; line: number; lang: string; text: string }

/** Fenced code blocks (```lang ... ```) of a Markdown file, with the line of their opening fence. */
export function blocks(file: string): Block[] {
  const lines = readFileSync(join(DOCS, file), 'utf8').split('\n');
  const found: Block[] = [];
  let open: { line: number; lang: string; body: string[] } | null = null;
  lines.forEach((text, i) => {
    const fence = /^\s*```(\S*)\s*$/.exec(text);
    if (open === null) {
      if (fence) open = { line: i + 1, lang: fence[1] ?? '', body: [] };
    } else if (fence && fence[1] === '') {
      found.push({ file, line: open.line, lang: open.lang, text: open.body.join('\n') });
      open = null;
    } else {
      open.body.push(text);
    }
  });
  return found;
}

/**
 * Relative link targets `[text](target)` outside code, split from their `#fragment`. Same-page
 * links (`#x`) are included, with an empty target, only when `withLocal` is set.
 */
export function relativeLinks(file: string, withLocal = false): { line: number; target: string; fragment?: string }[] {
  const lines = readFileSync(join(DOCS, file), 'utf8').split('\n');
  const links: { line: number; target: string; fragment?: string }[] = [];
  let inCode = false;
  lines.forEach((text, i) => {
    if (/^\s*```/.test(text)) { inCode = !inCode; return; }
    if (inCode) return;
    const prose = text.replace(/`[^`]*`/g, '');
    for (const match of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = match[1] ?? '';
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || (target.startsWith('#') && !withLocal)) continue;
      const [path = '', fragment] = target.split('#');
      links.push(fragment === undefined ? { line: i + 1, target: path } : { line: i + 1, target: path, fragment });
    }
  });
  return links;
}

/** GitHub's heading anchors: lowercased, punctuation dropped, spaces to `-`, repeats numbered. */
export function anchors(path: string): Set<string> {
  const found = new Set<string>();
  let inCode = false;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (/^\s*```/.test(line)) inCode = !inCode;
    const heading = inCode ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = (heading[1] ?? '').toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    let unique = slug;
    for (let n = 1; found.has(unique); n++) unique = `${slug}-${n}`;
    found.add(unique);
  }
  return found;
}

/** The rule set shown in `file` that defines segment `id` (the docs' test has checked it). */
export function ruleSetWith(file: string, id: string): { version: 1; segments: Record<string, unknown> } {
  for (const b of blocks(file)) {
    if (b.lang !== 'json' || !b.text.includes(`"${id}"`)) continue;
    const value = JSON.parse(b.text) as { version: 1; segments?: unknown };
    if (value.segments && !Array.isArray(value.segments) && Object.hasOwn(value.segments, id)) {
      return value as { version: 1; segments: Record<string, unknown> };
    }
  }
  throw new Error(`no rule set in ${file} defines ${id}`);
}
