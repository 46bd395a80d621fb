import type * as nodeFs from 'node:fs';
import type * as nodeTty from 'node:tty';
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
// Whether standard input is a terminal (a person typing) rather than a pipe or a file.
const tty = vi.hoisted(() => ({ on: false, readsBefore: -1 }));
vi.mock('node:tty', async (importOriginal) => ({ ...await importOriginal<typeof nodeTty>(), isatty: (fd: number) => fd === 0 && tty.on }));

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
    tty.on = false;
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

  it('at a terminal, says what it is waiting for before it waits (it looked hung), and nothing when piped', () => {
    tty.on = true;
    stdin.text = realReadFileSync(rules, 'utf8');
    let readsAtHint = -1;
    const io = { stdout: () => {}, stderr: (t: string) => { if (t.includes('from the terminal')) readsAtHint = stdin.reads; } };
    expect(main(['check', '-'], io)).toBe(0);
    expect(readsAtHint).toBe(0);
    const hint = 'seglet: reading the rule set from the terminal: paste it, then press Ctrl-D on an empty line (Ctrl-Z, Enter on Windows)\n';
    expect(run('check', '-')).toEqual({ code: 0, stdout: 'stdin: ok, 1 segment\n', stderr: hint });
    stdin.text = events;
    expect(run('simulate', rules, '-', '--at', '2026-03-01T10:30:00Z').stderr).toBe(hint.replace('the rule set', 'the event log'));
    // A file named on the command line is not read from the terminal.
    expect(run('check', rules).stderr).toBe('');
    tty.on = false;
    stdin.text = realReadFileSync(rules, 'utf8');
    expect(run('check', '-').stderr).toBe('');
  });
});
