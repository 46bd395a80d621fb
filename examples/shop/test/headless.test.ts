import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { validateRules } from '@seglet/core';
import { beforeAll, describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../main.mjs', import.meta.url));
let code: number | null = null;
let stdout = '';
let stderr = '';

/** The report section of one shopper (from its name line to its collector line). */
function section(name: string): string[] {
  const lines = stdout.split('\n');
  const from = lines.findIndex((l) => l.startsWith(`${name} (`));
  const to = lines.findIndex((l, i) => i > from && l.includes('collector GET /v1/profiles/'));
  return from === -1 || to === -1 ? [] : lines.slice(from, to + 1).map((l) => l.trim());
}
/** Offset and text of the lines that are not the script's own actions. */
const outcomes = (lines: string[], kinds: string[]): string[] =>
  lines.filter((l) => kinds.some((k) => l.split(/\s+/)[1] === k)).map((l) => l.replace(/\s+/g, ' '));

beforeAll(async () => {
  await new Promise<void>((resolve) => {
    execFile(process.execPath, [main, '--headless'], { timeout: 200_000 }, (error, out, err) => {
      code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      stdout = out;
      stderr = err;
      resolve();
    });
  });
});

describe('examples/shop --headless', () => {
  it('has a valid rule set without warnings', () => {
    const result = validateRules(JSON.parse(readFileSync(new URL('../rules.json', import.meta.url), 'utf8')));
    expect(result).toMatchObject({ ok: true, warnings: [] });
  });

  it('exits 0 with no warning or error from the pages', () => {
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).not.toContain('page problem');
  });

  it("prints Ada's membership timeline at the simulated instants", () => {
    expect(outcomes(section('Ada'), ['enter', 'exit'])).toEqual([
      '+0:01:40 enter high-intent', // third view_item
      '+0:03:20 enter engaged-reader', // second post read to the end
      '+0:03:40 exit engaged-reader', // answered the survey
      '+0:31:00 enter cart-abandoner', // 30 minutes after add_to_cart, with no event
      '+2:34:00 enter returning', // the second visit's first page
      '+2:35:00 exit cart-abandoner', // purchase
      '+2:35:00 exit high-intent',
    ]);
  });

  it('shows Ada the personalised content while she is a member', () => {
    expect(outcomes(section('Ada'), ['sees', 'no'])).toEqual([
      '+0:02:00 sees early access (data-seglet-show)',
      '+0:03:40 sees survey (segments.on)',
      '+0:34:00 sees discount banner (segments.on)',
      '+2:34:20 sees welcome-back hero (template)',
      '+2:34:20 sees discount banner (segments.on)',
      '+2:35:00 sees discount at checkout (data-seglet-show)',
      '+2:35:20 no discount banner (segments.on)',
    ]);
  });

  it('keeps Bo, in the 10% holdout, on the static shop', () => {
    const bo = section('Bo');
    expect(outcomes(bo, ['enter', 'exit'])).toEqual(['+0:00:00 enter holdout']);
    expect(outcomes(bo, ['sees', 'no'])).toEqual([
      '+0:01:40 no early access (data-seglet-show)',
      '+0:31:40 no discount banner (segments.on)',
      '+0:32:00 sees the static hero',
    ]);
  });

  it('has the collector hold what the pages beaconed', () => {
    expect(section('Ada').at(-1)).toBe('collector GET /v1/profiles/ada0000000000001: [returning]');
    expect(section('Bo').at(-1)).toBe('collector GET /v1/profiles/b0b000000000002c: [holdout]');
    const segments = stdout.slice(stdout.indexOf('collector GET /v1/segments')).split('\n').slice(1, 6).map((l) => l.trim().replace(/\s+/g, ' '));
    expect(segments).toEqual([
      'cart-abandoner members 0 enters 1 exits 1',
      'engaged-reader members 0 enters 1 exits 1',
      'high-intent members 0 enters 1 exits 1',
      'holdout members 1 enters 1 exits 0',
      'returning members 1 enters 1 exits 0',
    ]);
  });
});
