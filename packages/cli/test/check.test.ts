import { describe, expect, it } from 'vitest';
import { check } from '../src/check.js';
import { simulate } from '../src/simulate.js';
import { size } from '../src/size.js';
import { missing, scenario, tempFile } from './files.js';

describe('check', () => {
  it('accepts a valid rule set', () => {
    const path = scenario('cart-abandoner');
    expect(check(path)).toEqual({ output: `${path}: ok, 1 segment\n`, code: 0 });
  });

  it('lists every error with its JSON pointer and exits 1', () => {
    const path = tempFile('bad.json', {
      version: 2,
      segments: {
        'Bad Id': { when: { count: 'page_view', gte: 1 } },
        ok: { when: { count: 'page_view', within: '24hours', gte: 1 } },
      },
    });
    const { output, code } = check(path);
    expect(code).toBe(1);
    expect(output).toMatch(/^error \/version: /m);
    expect(output).toMatch(/^error \/segments\/Bad Id: /m);
    expect(output).toMatch(/^error \/segments\/ok\/when\/within: /m);
    expect(output.trimEnd().split('\n').at(-1)).toMatch(new RegExp(`${path.replace(/[.\\]/g, '\\$&')}: \\d+ errors$`));
  });

  it('says with errors that warnings are checked once the errors are fixed', () => {
    const rules = (version: number) => ({
      version, retain: { for: '1d' },
      segments: { old: { when: { count: 'page_view', within: '7d', gte: 1 } } },
    });
    const path = tempFile('both.json', rules(2));
    const { output, code } = check(path);
    expect(code).toBe(1);
    expect(output).toMatch(/^error \/version: /);
    expect(output).not.toMatch(/^warning /m);
    expect(output.trimEnd().split('\n').slice(-2)).toEqual(['(warnings are checked once the errors are fixed)', `${path}: 1 error`]);
    // Fixed, the warning shows and the hint goes.
    const fixed = check(tempFile('both.json', rules(1)));
    expect(fixed.output).toMatch(/^warning \/segments\/old\/when\/within: /m);
    expect(fixed.output).not.toContain('warnings are checked');
  });

  it('prints warnings and still exits 0', () => {
    const path = tempFile('warn.json', {
      version: 1, retain: { for: '1d' },
      segments: { old: { when: { count: 'page_view', within: '7d', gte: 1 } } },
    });
    const { output, code } = check(path);
    expect(code).toBe(0);
    expect(output).toMatch(/^warning \/segments\/old\/when\/within: /m);
    expect(output).toMatch(/ok, 1 segment, 1 warning\n$/);
  });

  it('reads a file that starts with a UTF-8 byte order mark', () => {
    const path = tempFile('bom.json', `\uFEFF${JSON.stringify({ version: 1, segments: { a: { when: { count: 'x', gte: 1 } } } })}`);
    expect(check(path)).toEqual({ output: `${path}: ok, 1 segment\n`, code: 0 });
  });

  it('shows the root pointer as (root)', () => {
    const { output, code } = check(tempFile('array.json', []));
    expect(code).toBe(1);
    expect(output).toMatch(/^error \(root\): /m);
  });

  it('says on which line and column the JSON breaks, not only at which character', () => {
    const text = '{\r\n  "version": 1,\r\n  "segments": {\r\n    "a": { "when": { "count": "x" "gte": 1 } }\r\n  }\r\n}\r\n';
    const { output, code } = check(tempFile('where.json', text));
    expect(code).toBe(1);
    // The "gte" after "x" without a comma: line 4, column 35.
    expect(output).toMatch(/ is not valid JSON: .+ \(line 4 column 35\)\n$/);
    expect(output.match(/line \d+ column/g)).toHaveLength(1);
  });

  it('warns of a segment defined twice, where JSON.parse silently keeps the last one', () => {
    const when = '{"count":"page_view","gte":1}';
    const path = tempFile('twice.json', `{"version":1,"segments":{"buyer":{"when":${when}},"browser":{"when":${when}},"buyer":{"when":${when}}}}`);
    expect(check(path)).toEqual({
      output: `warning /segments/buyer: "buyer" is written more than once in this object; JSON keeps the last one and drops the others\n${path}: ok, 2 segments, 1 warning\n`,
      code: 0,
    });
  });

  it('warns of a key written twice even when the rule set has errors: the one kept may be the faulty one', () => {
    const path = tempFile('twice-bad.json', '{"version":1,"segments":{"a":{"when":{"count":"x","gte":1}},"a":{"when":{"count":"x"}}}}');
    const { output, code } = check(path);
    expect(code).toBe(1);
    expect(output.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^error \/segments\/a\/when: "count" needs a test/) as string,
      'warning /segments/a: "a" is written more than once in this object; JSON keeps the last one and drops the others',
      '(other warnings are checked once the errors are fixed)',
      `${path}: 1 error, 1 warning`,
    ]);
  });

  it('says a rules file with nothing in it is empty, for every command that reads rules', () => {
    const events = tempFile('empty-rules.jsonl', '{"type":"a","t":0}\n');
    for (const text of ['', ' \r\n\t\n', '\uFEFF']) {
      const path = tempFile('empty.json', text);
      const expected = { output: `seglet: ${path} is empty\n`, code: 1 };
      expect(check(path), JSON.stringify(text)).toEqual(expected);
      expect(size(path)).toEqual(expected);
      expect(simulate({ rules: path, events })).toEqual(expected);
    }
  });

  it('reports a missing file and invalid JSON with exit 1', () => {
    expect(check(missing)).toEqual({ output: `seglet: cannot read ${missing}: no such file\n`, code: 1 });
    const bad = check(tempFile('broken.json', '{"version": 1,'));
    expect(bad.code).toBe(1);
    expect(bad.output).toMatch(/^seglet: .*broken\.json is not valid JSON: /);
  });
});
