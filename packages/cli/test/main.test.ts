import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main, USAGE } from '../src/main.js';
import { missing, scenario, tempFile } from './files.js';

function run(...argv: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = main(argv, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
  return { code, stdout, stderr };
}

describe('main', () => {
  const rules = scenario('cart-abandoner');

  it('prints usage on stdout with exit 0 when asked for help, for every command', () => {
    for (const argv of [['--help'], ['-h'], ['help'], ['check', '--help'], ['size', '-h'], ['simulate', '--help'], ['simulate', 'r.json', 'e.jsonl', '-h']]) {
      expect(run(...argv), argv.join(' ')).toEqual({ code: 0, stdout: USAGE, stderr: '' });
    }
  });

  it('prints the version of the package on stdout with exit 0 for --version and -v', () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    for (const flag of ['--version', '-v']) expect(run(flag), flag).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('prints usage on stderr with exit 2 for no command and an unknown command', () => {
    expect(run()).toEqual({ code: 2, stdout: '', stderr: USAGE });
    const unknown = run('lint', rules);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(`seglet: unknown command "lint"\n\n${USAGE}`);
  });

  it('dispatches check, size and simulate; success goes to stdout', () => {
    expect(run('check', rules)).toEqual({ code: 0, stdout: `${rules}: ok, 1 segment\n`, stderr: '' });
    expect(run('size', rules).stdout).toContain('1 segment, 1 condition');
    const events = tempFile('main.jsonl', '{"type":"add_to_cart","t":"2026-03-01T10:00:00Z"}\n');
    const sim = run('simulate', rules, events, '--at', '2026-03-01T10:30:00Z', '--tz', 'UTC');
    expect(sim.code).toBe(0);
    expect(sim.stdout).toContain('2026-03-01T10:30:00.000Z  enter  cart-abandoner');
    expect(run('simulate', rules, events, '--at=2026-03-01T10:29:59.999Z').stdout).toContain(': (none)');
  });

  it('sends failures to stderr with their exit code', () => {
    expect(run('check', missing)).toEqual({ code: 1, stdout: '', stderr: `seglet: cannot read ${missing}: no such file\n` });
    expect(run('simulate', rules, missing, '--at', 'soon').code).toBe(2);
  });

  it('simulate with a skipped line: the timeline still goes to stdout, the skipped line to stderr, exit 1', () => {
    const events = tempFile('main-skip.jsonl', '{"type":"add_to_cart","t":"2026-03-01T10:00:00Z"}\nnot json\n');
    expect(run('simulate', rules, events, '--at', '2026-03-01T10:30:00Z')).toEqual({
      code: 1,
      stdout: '2026-03-01T10:30:00.000Z  enter  cart-abandoner\n1 event replayed\nmembers at 2026-03-01T10:30:00.000Z: cart-abandoner\n',
      stderr: expect.stringMatching(/^skipped line 2: not valid JSON: .+\n$/) as string,
    });
  });

  it('rejects an option given twice, whose first value was dropped unseen, with exit 2', () => {
    const events = tempFile('twice.jsonl', '{"type":"add_to_cart","t":"2026-03-01T10:00:00Z"}\n');
    const twice = run('simulate', rules, events, '--at', '2026-03-01T10:30:00Z', '--at=2026-03-01T10:00:00Z');
    expect(twice.code).toBe(2);
    expect(twice.stdout).toBe('');
    expect(twice.stderr).toBe(`seglet: --at is given more than once; give it once\n\n${USAGE}`);
    expect(run('simulate', rules, events, '--context', '{"device":"mobile"}', '--context', '{"path":"/"}').stderr)
      .toBe(`seglet: --context is given more than once; give it once, with every key in one JSON object\n\n${USAGE}`);
    // Help asked for twice is still help.
    expect(run('simulate', '-h', '--help').code).toBe(0);
  });

  it('rejects wrong arguments with exit 2', () => {
    for (const argv of [['check'], ['check', rules, rules], ['size', rules, '--at', '0'], ['simulate', rules], ['simulate', rules, rules, '--bogus'], ['simulate', rules, rules, '--at']]) {
      const r = run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr, argv.join(' ')).toMatch(/^seglet: .+\n\nUsage: seglet/);
    }
  });
});
