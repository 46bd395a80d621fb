// Keeps the user docs honest: every rule set they show passes validation (no errors, no
// warnings), every JSON block parses, and every relative link leads to a file in the repository.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateRules } from '@seglet/core';
import { anchors, blocks, DOCS, FILES, relativeLinks, type Block } from './markdown.js';

const all = FILES.flatMap(blocks);
const json = all.filter((b) => b.lang === 'json');
// The collector's `GET /v1/segments` answer also has a "segments" key: a list, not a rule set.
function isAnswer(b: Block): boolean {
  try {
    return Array.isArray((JSON.parse(b.text) as { segments?: unknown }).segments);
  } catch {
    return false; // reported by the parse test, and as a rule set that fails
  }
}
// Rule sets inlined in HTML examples, as `<script type="application/json">` for the script tag.
const inlined: Block[] = all.filter((b) => b.lang === 'html').flatMap((b) =>
  [...b.text.matchAll(/<script type="application\/json"[^>]*>([\s\S]*?)<\/script>/g)].map((m) => ({ ...b, lang: 'json', text: m[1] ?? '' })));
const ruleSets = [...json, ...inlined].filter((b) => b.text.includes('"segments"') && !isAnswer(b));
const answers = json.filter((b) => b.text.includes('"segments"') && isAnswer(b));

describe('docs', () => {
  it('has the pages the README and each other link to', () => {
    expect(FILES).toEqual(expect.arrayContaining(['privacy.md', 'quick-start.md', 'recipes.md', 'reference.md', 'rules.md']));
    expect(ruleSets.length).toBeGreaterThan(20);
    expect(inlined.length).toBeGreaterThan(0);
  });

  it.each(json.map((b) => [`${b.file}:${b.line}`, b] as const))('json block %s parses', (_, b) => {
    expect(() => JSON.parse(b.text)).not.toThrow();
  });

  it.each(ruleSets.map((b) => [`${b.file}:${b.line}`, b] as const))('rule set %s is valid, without warnings', (_, b) => {
    const result = validateRules(JSON.parse(b.text));
    expect(result.ok ? [] : result.errors).toEqual([]);
    expect(result.ok ? result.warnings : []).toEqual([]);
  });

  it.each(FILES)('relative links in %s lead to files in the repository', (file) => {
    const missing = relativeLinks(file)
      .filter((l) => l.target !== '' && !existsSync(resolve(DOCS, decodeURI(l.target))))
      .map((l) => `${file}:${l.line} ${l.target}`);
    expect(missing).toEqual([]);
  });

  it.each(answers.map((b) => [`${b.file}:${b.line}`, b] as const))('collector answer %s has the shape of GET /v1/segments', (_, b) => {
    const { segments } = JSON.parse(b.text) as { segments: unknown[] };
    for (const s of segments) {
      expect(s).toEqual({ id: expect.any(String), members: expect.any(Number), days: expect.any(Array) });
      for (const d of (s as { days: unknown[] }).days) {
        expect(d).toEqual({ day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), enters: expect.any(Number), exits: expect.any(Number) });
      }
    }
  });

  it.each(FILES)('anchors of links in %s name headings that exist', (file) => {
    const broken = relativeLinks(file, true)
      .filter((l) => l.fragment !== undefined && /\.md$|^$/.test(l.target))
      .filter((l) => {
        const path = l.target === '' ? join(DOCS, file) : resolve(DOCS, l.target);
        return !existsSync(path) || !anchors(path).has(l.fragment ?? '');
      })
      .map((l) => `${file}:${l.line} ${l.target}#${l.fragment ?? ''}`);
    expect(broken).toEqual([]);
  });

  it.each(FILES)('%s links to nothing outside the repository', (file) => {
    const outside = relativeLinks(file).filter((l) => !resolve(DOCS, l.target).startsWith(resolve(DOCS, '..')));
    const absolute = readFileSync(join(DOCS, file), 'utf8').match(/\]\((?:https?:)?\/\/[^)]*\)/g) ?? [];
    expect([...outside.map((l) => l.target), ...absolute]).toEqual([]);
  });
});
