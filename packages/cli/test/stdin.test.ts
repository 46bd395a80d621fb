import type * as nodeFs from 'node:fs';
import { readFileSync as realReadFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/main.js';
import { simulate } from '../src/simulate.js';
import { scenario, tempFile } from './files.js';

// Standard input is file descriptor 0: the tests give it a text instead of the terminal's.
const stdin = vi.hoisted(() => ({ text: '', reads: 0 }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof nodeFs>();
  const readFileSync = ((path: number | string, ...rest: [BufferEncoding?]) => {
    if (path !== 0) return fs.readFileSync(path, ...rest);
    stdin.reads++;
    // As the real one: bytes without an encoding.
    return rest[0] === undefined ? Buffer.from(stdin.text) : stdin.text;
  }) as typeof fs.readFileSync;
  return { ...fs, readFileSync };
});

function run(...argv: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = main(argv, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
  return { code, stdout, stderr };
}

describe('- reads standard input', () => {
  const rules = scenario('cart-abandoner');
  const events = '{"type":"add_to_cart","t":"2026-03-01T10:00:00Z"}\n';
  beforeEach(() => {
    stdin.text = '';
    stdin.reads = 0;
  });

  it('check - and size -: the rules come from stdin, named "stdin"', () => {
    stdin.text = realReadFileSync(rules, 'utf8');
    expect(run('check', '-')).toEqual({ code: 0, stdout: 'stdin: ok, 1 segment\n', stderr: '' });
    expect(run('size', '-').stdout).toMatch(/^stdin\n {2}minified {2}\d+ B\n/);
    stdin.text = '{"version": 1,';
    expect(run('check', '-').stderr).toMatch(/^seglet: stdin is not valid JSON: /);
    expect(stdin.reads).toBe(3);
  });

  it('says when nothing came in on stdin (a curl that failed before the pipe)', () => {
    stdin.text = '';
    expect(run('check', '-')).toEqual({ code: 1, stdout: '', stderr: 'seglet: stdin is empty: nothing was piped or redirected in\n' });
    stdin.text = '\n';
    expect(run('simulate', '-', tempFile('stdin-empty.jsonl', events)).stderr).toBe('seglet: stdin is empty: nothing was piped or redirected in\n');
  });

  it('simulate - events.jsonl and simulate rules.json -', () => {
    stdin.text = events;
    const fromStdin = run('simulate', rules, '-', '--at', '2026-03-01T10:30:00Z');
    expect(fromStdin).toEqual({
      code: 0, stderr: '',
      stdout: '2026-03-01T10:30:00.000Z  enter  cart-abandoner\n1 event replayed\nmembers at 2026-03-01T10:30:00.000Z: cart-abandoner\n',
    });
    stdin.text = realReadFileSync(rules, 'utf8');
    expect(run('simulate', '-', tempFile('stdin.jsonl', events), '--at', '2026-03-01T10:30:00Z')).toEqual(fromStdin);
  });

  it('only one input can be -', () => {
    const both = run('simulate', '-', '-');
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^seglet: only one file can be - \(standard input\)\n\nUsage: seglet/);
    expect(simulate({ rules: '-', events: '-' })).toEqual({ output: 'seglet: only one file can be - (standard input)\n', code: 2 });
    expect(stdin.reads).toBe(0);
  });
});
