import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { size } from '../src/size.js';
import { missing, scenario, tempFile } from './files.js';

describe('size', () => {
  it('reports minified and gzip bytes, segments and conditions', () => {
    const path = scenario('cart-abandoner');
    const minified = JSON.stringify(JSON.parse(readFileSync(path, 'utf8')));
    const { output, code } = size(path);
    expect(code).toBe(0);
    expect(output).toContain(`minified  ${Buffer.byteLength(minified)} B`);
    expect(output).toContain(`gzip -9   ${gzipSync(minified, { level: 9 }).length} B`);
    expect(output).toContain('1 segment, 1 condition\n');
  });

  it('counts every node of the all/any/not tree and UTF-8 bytes', () => {
    const rules = {
      version: 1,
      segments: {
        a: { description: 'é', when: { all: [{ count: 'x', gte: 1 }, { not: { any: [{ context: 'device', eq: 'mobile' }, { segment: 'b' }] } }] } },
        b: { when: { trait: 'plan', eq: 'pro' } },
      },
    };
    const { output } = size(tempFile('tree.json', rules));
    expect(output).toContain('2 segments, 7 conditions');
    expect(output).toContain(`minified  ${JSON.stringify(rules).length + 1} B`);
  });

  it('ignores a leading byte order mark, in the rules and in the bytes counted', () => {
    const rules = { version: 1, segments: { a: { when: { count: 'x', gte: 1 } } } };
    const { output, code } = size(tempFile('bom.json', `\uFEFF${JSON.stringify(rules)}`));
    expect(code).toBe(0);
    expect(output).toContain(`minified  ${JSON.stringify(rules).length} B`);
  });

  it('refuses invalid rules, a missing file and invalid JSON with exit 1', () => {
    const invalid = size(tempFile('invalid.json', { version: 1, segments: { x: { when: {} } } }));
    expect(invalid.code).toBe(1);
    expect(invalid.output).toMatch(/^error \/segments\/x\/when: /m);
    expect(invalid.output).toContain('is not a valid rule set (1 error)');
    expect(size(missing).code).toBe(1);
    expect(size(tempFile('bad.json', 'nope')).code).toBe(1);
  });
});
