import { describe, expect, it } from 'vitest';
import { check } from '../src/check.js';
import { simulate } from '../src/simulate.js';
import { size } from '../src/size.js';
import { tempFile } from './files.js';

const rules = { version: 1, segments: { zurich: { description: 'Zürich', when: { count: 'page_view', where: { city: 'Zürich' }, gte: 1 } } } };
const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');
const utf16 = (text: string, order: 'le' | 'be'): Buffer => {
  const le = Buffer.from(`\uFEFF${text}`, 'utf16le');
  return order === 'le' ? le : le.swap16();
};

describe('file encodings', () => {
  it('refuses a file that is not UTF-8, naming the first line with a bad byte, instead of reading U+FFFD', () => {
    const path = tempFile('latin1.json', latin1(JSON.stringify(rules, null, 2)));
    // "Zürich" is on line 5 of the pretty-printed rules.
    const expected = { output: `seglet: cannot read ${path}: line 5 is not UTF-8 text; save the file as UTF-8\n`, code: 1 };
    expect(check(path)).toEqual(expected);
    expect(size(path)).toEqual(expected);
    const events = tempFile('latin1.jsonl', latin1('{"type":"page_view","t":0}\n{"type":"page_view","t":1,"props":{"city":"Zürich"}}\n'));
    expect(simulate({ rules: tempFile('utf8.json', rules), events })).toEqual({
      output: `seglet: cannot read ${events}: line 2 is not UTF-8 text; save the file as UTF-8\n`, code: 1,
    });
  });

  it('reads UTF-16 with a byte order mark (as Windows PowerShell writes), little- and big-endian', () => {
    for (const order of ['le', 'be'] as const) {
      const path = tempFile(`utf16${order}.json`, utf16(JSON.stringify(rules), order));
      expect(check(path), order).toEqual({ output: `${path}: ok, 1 segment\n`, code: 0 });
      // Sized as the UTF-8 a server would send.
      expect(size(path).output, order).toContain(`minified  ${Buffer.byteLength(JSON.stringify(rules))} B`);
      const events = tempFile(`utf16${order}.jsonl`, utf16('{"type":"page_view","t":0,"props":{"city":"Zürich"}}\r\n', order));
      expect(simulate({ rules: path, events }).output, order).toBe('1970-01-01T00:00:00.000Z  enter  zurich\n1 event replayed\nmembers at 1970-01-01T00:00:00.000Z: zurich\n');
    }
  });
});
