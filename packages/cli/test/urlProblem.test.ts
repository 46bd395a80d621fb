import { describe, expect, it } from 'vitest';
import { check } from '../src/check.js';
import { simulate } from '../src/simulate.js';
import { size } from '../src/size.js';
import { scenario, tempFile } from './files.js';

describe('a URL given for a file', () => {
  const rules = scenario('cart-abandoner');
  const events = tempFile('url.jsonl', '{"type":"add_to_cart","t":"2026-03-01T10:00:00Z"}\n');

  it('says URLs are not fetched and how to pipe the file in, for each command', () => {
    const url = 'https://example.com/rules.json';
    const hint = (command: string) => `URLs are not fetched; download it and give - to read it from standard input: curl -fsSL ${url} | ${command}`;
    expect(check(url)).toEqual({ output: `seglet: cannot read ${url}: ${hint('seglet check -')}\n`, code: 1 });
    expect(size(url)).toEqual({ output: `seglet: cannot read ${url}: ${hint('seglet size -')}\n`, code: 1 });
    expect(simulate({ rules: url, events })).toEqual({ output: `seglet: cannot read ${url}: ${hint(`seglet simulate - ${events}`)}\n`, code: 1 });
    expect(simulate({ rules, events: url })).toEqual({ output: `seglet: cannot read ${url}: ${hint(`seglet simulate ${rules} -`)}\n`, code: 1 });
  });

  it('quotes a URL the shell would split, and gives the path of a file URL', () => {
    const url = "http://example.com/r.json?v=2&who=o'neil";
    expect(check(url).output).toBe(`seglet: cannot read ${url}: URLs are not fetched; download it and give - to read it from standard input: curl -fsSL 'http://example.com/r.json?v=2&who=o'\\''neil' | seglet check -\n`);
    expect(check('file:///tmp/no%20such/rules.json')).toEqual({
      output: 'seglet: cannot read file:///tmp/no%20such/rules.json: file URLs are not read; give the path: /tmp/no such/rules.json\n',
      code: 1,
    });
  });
});
