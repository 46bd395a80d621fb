import { describe, expect, it } from 'vitest';
import type { Issue } from '../src/types.js';
import { validateRules } from '../src/validateRules.js';

const DAY = 86_400_000;

function warningsOf(input: unknown): Issue[] {
  const result = validateRules(input);
  if (!result.ok) throw new Error(`expected a valid rule set, got ${JSON.stringify(result.errors)}`);
  return result.warnings;
}

const when = { count: 'page_view', gte: 1 };

describe('validateRules: warnings for durations longer than retain.for', () => {
  const segments = {
    w: { when: { count: 'x', within: '91d', gte: 1 }, hold: '100d' },
    s: { when: { any: [{ since: 'x', gte: '120d' }, { since: 'x', lt: 100 * DAY }, { since: 'x', eq: '91d' }, { since: 'x', in: ['1000d'] }] } },
    a: { when: { abandoned: 'add_to_cart', unless: 'purchase', after: '95d', within: '200d' } },
    d: { when: { session: 'duration', gt: '100d' } },
    m: { when: { score: { terms: [{ weight: 1, value: { sum: 'x', of: 'v', within: '365d' } }] }, gt: 0 } },
    // Each exactly retain.for: no warning (a hold over a window adds up: see the chain tests below).
    ok: { when: { count: 'x', within: '90d', gte: 1 } },
    'ok-hold': { when: { count: 'x', gte: 1 }, hold: '90d' },
  };

  it('warns at each long duration, with its path, using the default retention of 90d', () => {
    const warnings = warningsOf({ version: 1, segments });
    expect(warnings.map((w) => w.path)).toEqual([
      '/segments/w/when/within', '/segments/w/hold',
      '/segments/s/when/any/0/gte', '/segments/s/when/any/1/lt', '/segments/s/when/any/2/eq', '/segments/s/when/any/3/in/0',
      '/segments/a/when/after', '/segments/a/when/within',
      '/segments/d/when/gt',
      '/segments/m/when/score/terms/0/value/within',
    ]);
    expect(warnings[0]!.message).toContain('"91d" is longer than retain.for (90d)');
  });

  it('measures against retain.for as given, in a string or in milliseconds', () => {
    // Only the warning that has nothing to do with retention is left (see the "in" test below).
    expect(warningsOf({ version: 1, retain: { for: '400d' }, segments }).map((w) => w.path)).toEqual(['/segments/s/when/any/3/in/0']);
    const warnings = warningsOf({ version: 1, retain: { for: DAY }, segments: { ok: { when: { count: 'x', within: '2d', gte: 1 } } } });
    expect(warnings).toEqual([{ path: '/segments/ok/when/within', message: expect.stringContaining(`(${DAY} ms)`) as string }]);
  });

  it('gives no warnings when retain.for is itself invalid (that is the error to fix first)', () => {
    const result = validateRules({ version: 1, retain: { for: 'always' }, segments });
    expect(result.ok).toBe(false);
  });

  it('warns at a duration written as a string in "in" of since or session duration: it never equals the milliseconds compared', () => {
    const warnings = warningsOf({ version: 1, segments: {
      s: { when: { since: 'x', in: ['1h', 5, 'x'] } },
      d: { when: { session: 'duration', in: ['30m'] } },
      c: { when: { count: 'x', in: ['1h'] } },
    } });
    expect(warnings).toEqual([
      { path: '/segments/s/when/in/0', message: '"1h" is a string and never equals the milliseconds compared here; "in" takes numbers (e.g. 3600000), or use gte/lte with a duration' },
      { path: '/segments/d/when/in/0', message: expect.stringContaining('(e.g. 1800000)') as string },
    ]);
  });

  it('warns that an integer-like id is not kept in declaration order', () => {
    expect(warningsOf({ version: 1, segments: { b: { when }, 7: { when }, '07': { when } } })).toEqual([
      { path: '/segments/7', message: expect.stringContaining('segment id "7" looks like a number') as string },
    ]);
  });
});

describe('validateRules: holds that reach past retain.for with windows and segment references', () => {
  const chain = (a: string, b: string, c: string | undefined) => ({
    version: 1,
    segments: {
      base: { when: { count: 'x', gte: 1 }, ...(c ? { hold: c } : {}) },
      mid: { when: { segment: 'base' } },
      top: { when: { any: [{ segment: 'mid' }, { segment: 'base' }] }, hold: a },
      other: { when: { segment: 'top' }, hold: b },
    },
  });

  it('warns at the hold whose chain of held segments adds up to more than retain.for', () => {
    // top: 60d + 30d (through mid, or base directly) = 90d, not more; other: 20d + 90d.
    expect(warningsOf(chain('60d', '20d', '30d'))).toEqual([{
      path: '/segments/other/hold',
      message: '"20d with what it reads: 110d" is longer than retain.for (90d): events older than that are dropped, so this cannot see that far back; raise "retain"."for" or shorten it',
    }]);
  });

  it('adds the holds along the longest chain, through segments without a hold', () => {
    const warnings = warningsOf(chain('60d', '1h', '31d'));
    expect(warnings.map((w) => w.path)).toEqual(['/segments/top/hold', '/segments/other/hold']);
    expect(warnings[0]!.message).toContain('"60d with what it reads: 91d" is longer');
    expect(warnings[1]!.message).toContain('"1h with what it reads: 91.04d" is longer');
  });

  it('stays quiet within retain.for, and leaves a hold that is too long on its own to its own warning', () => {
    expect(warningsOf(chain('60d', '1d', '29d'))).toEqual([]);
    expect(warningsOf({ ...chain('60d', '1d', '29d'), retain: { for: '30d' } }).map((w) => w.path)).toEqual([
      '/segments/top/hold', '/segments/other/hold',
    ]);
    expect(warningsOf({ ...chain('60d', '1d', '29d'), retain: { for: '30d' } })[0]!.message).toContain('"60d" is longer than retain.for (30d)');
  });

  it('adds the window the held condition looks back, its own or that of a segment it reads', () => {
    const count30d = { count: 'x', within: '30d', gte: 1 };
    expect(warningsOf({ version: 1, segments: { a: { when: count30d, hold: '70d' } } })).toEqual([{
      path: '/segments/a/hold',
      message: '"70d with what it reads: 100d" is longer than retain.for (90d): events older than that are dropped, so this cannot see that far back; raise "retain"."for" or shorten it',
    }]);
    // Through a reference, and with a wait or a since bound as the window.
    const read = (when: object) => warningsOf({ version: 1, segments: { base: { when }, top: { when: { segment: 'base' }, hold: '70d' } } });
    expect(read(count30d)[0]?.message).toContain('"70d with what it reads: 100d"');
    expect(read({ abandoned: 'add_to_cart', unless: 'purchase', after: '30m', within: '21d' })[0]?.message).toContain('reads: 91d"');
    expect(read({ since: 'x', lte: '25d' })[0]?.message).toContain('reads: 95d"');
  });

  it('stays quiet when hold and window fit, and leaves a window too long on its own to its own warning', () => {
    expect(warningsOf({ version: 1, segments: { a: { when: { count: 'x', within: '30d', gte: 1 }, hold: '60d' } } })).toEqual([]);
    expect(warningsOf({ version: 1, segments: { a: { when: { count: 'x', within: '100d', gte: 1 }, hold: '1d' } } }).map((w) => w.path)).toEqual([
      '/segments/a/when/within',
    ]);
  });

  it('gives no chain warning when the rule set has errors', () => {
    const result = validateRules({ version: 1, segments: { a: { when: { segment: 'b' }, hold: '80d' }, b: { when: { segment: 'a' }, hold: '80d' } } });
    expect(result.ok).toBe(false);
  });
});
