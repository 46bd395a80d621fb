import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { simulate } from '../src/simulate.js';
import { missing, scenario, tempFile } from './files.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const jsonl = (...lines: unknown[]): string => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n');

describe('simulate', () => {
  const rules = scenario('cart-abandoner');

  it('lets time pass: add_to_cart, then an enter exactly 30 minutes later', () => {
    const events = tempFile('cart.jsonl', jsonl({ type: 'add_to_cart', t: '2026-03-01T10:00:00Z' }));
    const { output, code } = simulate({ rules, events, at: '2026-03-01T11:00:00Z' });
    expect(code).toBe(0);
    expect(output).toBe([
      '2026-03-01T10:30:00.000Z  enter  cart-abandoner',
      '1 event replayed',
      'members at 2026-03-01T11:00:00.000Z: cart-abandoner',
      '',
    ].join('\n'));
  });

  it('replays time between events: enter, then exit on purchase; default end is the last event', () => {
    const events = tempFile('buy.jsonl', jsonl(
      { type: 'add_to_cart', t: T0, props: { sku: 'a' } },
      { type: 'purchase', t: T0 + 45 * 60_000 },
    ));
    const { output, code } = simulate({ rules, events });
    expect(code).toBe(0);
    expect(output).toBe([
      '2026-03-01T10:30:00.000Z  enter  cart-abandoner',
      '2026-03-01T10:45:00.000Z  exit   cart-abandoner',
      '2 events replayed',
      'members at 2026-03-01T10:45:00.000Z: (none)',
      '',
    ].join('\n'));
  });

  it('steps through window expiry and hold: the exit comes 24h30m after the first view', () => {
    const view = (h: number) => ({ type: 'page_view', t: T0 + h * 3_600_000, props: { path: `/product/${h}` } });
    const events = tempFile('views.jsonl', jsonl(view(0), view(1), view(2), { type: 'page_view', t: T0 + 3_600_000 * 3, props: { path: '/cart' } }));
    const { output, code } = simulate({ rules: scenario('high-intent'), events, at: '2026-03-03T00:00:00Z' });
    expect(code).toBe(0);
    expect(output).toBe([
      '2026-03-01T12:00:00.000Z  enter  high-intent',
      '2026-03-02T10:30:00.000Z  exit   high-intent',
      '4 events replayed',
      'members at 2026-03-03T00:00:00.000Z: (none)',
      '',
    ].join('\n'));
  });

  it('stops at --at: no enter before 30 minutes, later events ignored, ms accepted', () => {
    const events = tempFile('early.jsonl', jsonl({ type: 'add_to_cart', t: T0 }, { type: 'purchase', t: T0 + 3_600_000 }));
    const { output } = simulate({ rules, events, at: String(T0 + 29 * 60_000) });
    expect(output).toBe('1 event replayed, 1 after --at ignored\nmembers at 2026-03-01T10:29:00.000Z: (none)\n');
  });

  it('sorts out-of-order lines by time', () => {
    const events = tempFile('order.jsonl', jsonl({ type: 'purchase', t: T0 + 10 * 60_000 }, { type: 'add_to_cart', t: T0 }));
    expect(simulate({ rules, events }).output).toContain('members at 2026-03-01T10:10:00.000Z: (none)');
  });

  it('reports bad lines with their number, skips them, replays the rest and exits 1', () => {
    const events = tempFile('bad.jsonl', jsonl(
      '{"type":"add_to_cart","t":' + T0 + '}',
      '',
      'not json',
      [1, 2],
      { t: T0 },
      { type: 'x', t: '1/2/2026' },
      { type: 'Bad Type', t: T0 + 1 },
      { type: 'view', t: T0 + 2, props: { nested: { a: 1 } } },
    ));
    const { output, code, messages = '' } = simulate({ rules, events, at: '2026-03-01T10:30:00Z' });
    expect(code).toBe(1);
    const lines = messages.split('\n');
    expect(lines.map((l) => /^skipped line (\d+): /.exec(l)?.[1])).toEqual(['3', '4', '5', '6', '7', '8', undefined]);
    expect(lines.at(-1)).toBe('');
    expect(lines[3]).toContain('"t" must be epoch milliseconds or an ISO 8601 time');
    expect(output).toContain('2026-03-01T10:30:00.000Z  enter  cart-abandoner');
    // Lines 7 and 8 are refused by the engine: only line 1 is replayed.
    expect(output).toContain('\n1 event replayed\n');
  });

  it('counts only events the engine took, and ends at the last of them by default', () => {
    const events = tempFile('refused.jsonl', jsonl(
      { type: 'add_to_cart', t: T0 },
      { type: 'purchase', t: T0 + 10 * 60_000, props: { nested: { a: 1 } } },
      { type: 'Bad Type', t: T0 + 60 * 60_000 },
    ));
    const { output, code, messages } = simulate({ rules, events });
    expect(code).toBe(1);
    expect(messages).toBe([
      'skipped line 2: /props/nested: object is not allowed; use a string, number, boolean or null',
      'skipped line 3: /type: not an event type ([a-z0-9_.:-]{1,64})',
      '',
    ].join('\n'));
    expect(output).toBe([
      '1 event replayed',
      'members at 2026-03-01T10:00:00.000Z: (none)',
      '',
    ].join('\n'));
    // With --at, a refused event after it is not counted among those ignored.
    expect(simulate({ rules, events, at: '2026-03-01T10:05:00Z' }).output).toMatch(/^1 event replayed\nmembers at/);
  });

  it('skips a line with a key other than type, t and props, where props written as "properties" were dropped unseen', () => {
    const spender = tempFile('spender.json', { version: 1, segments: { spender: { when: { sum: 'purchase', of: 'value', gte: 100 } } } });
    const events = tempFile('keys.jsonl', jsonl(
      { type: 'purchase', t: T0, properties: { value: 120 } },
      { type: 'purchase', t: T0 + 1, prop: { value: 1 }, ts: 5 },
      { type: 'purchase', t: T0 + 2, props: { value: 100 } },
    ));
    expect(simulate({ rules: spender, events })).toEqual({
      output: '2026-03-01T10:00:00.002Z  enter  spender\n1 event replayed\nmembers at 2026-03-01T10:00:00.002Z: spender\n',
      code: 1,
      messages: [
        'skipped line 1: unknown key "properties"; an event has "type", "t" and "props"',
        'skipped line 2: unknown keys "prop", "ts"; an event has "type", "t" and "props"',
        '',
      ].join('\n'),
    });
  });

  it('skips a t in epoch seconds, which replayed in January 1970, and refuses --at in seconds', () => {
    const events = tempFile('seconds.jsonl', jsonl(
      { type: 'add_to_cart', t: T0 / 1000 },
      { type: 'add_to_cart', t: '2026-03-01T10:00:00Z' },
      { type: 'purchase', t: T0 / 1000 + 3600 },
    ));
    expect(simulate({ rules, events, at: '2026-03-01T10:30:00Z' })).toEqual({
      output: '2026-03-01T10:30:00.000Z  enter  cart-abandoner\n1 event replayed\nmembers at 2026-03-01T10:30:00.000Z: cart-abandoner\n',
      code: 1,
      messages: [
        'skipped line 1: "t" is 1772359200, which looks like epoch seconds (2026-03-01T10:00:00.000Z), not milliseconds (1970-01-21T12:19:19.200Z); multiply it by 1000',
        'skipped line 3: "t" is 1772362800, which looks like epoch seconds (2026-03-01T11:00:00.000Z), not milliseconds (1970-01-21T12:19:22.800Z); multiply it by 1000',
        '',
      ].join('\n'),
    });
    expect(simulate({ rules, events, at: '1772361000' })).toEqual({
      output: 'seglet: --at is 1772361000, which looks like epoch seconds (2026-03-01T10:30:00.000Z), not milliseconds (1970-01-21T12:19:21.000Z); multiply it by 1000\n',
      code: 2,
    });
  });

  it('reads a hand-written log counted from 0 in milliseconds throughout, past day 11 and with --at there', () => {
    const dormant = tempFile('dormant-zero.json', { version: 1, segments: { lapsed: { when: { since: 'purchase', gte: '30d' } } } });
    const DAY = 86_400_000;
    // Day 12 (1.04e9) and day 40 (3.46e9) are in the range of epoch seconds, but the log has 0.
    const events = tempFile('zero.jsonl', jsonl({ type: 'purchase', t: 0 }, { type: 'page_view', t: 12 * DAY }));
    expect(simulate({ rules: dormant, events, at: String(40 * DAY) })).toEqual({
      // Lapsed from the start (no purchase yet): out at the purchase, back in 30 days later.
      output: '1970-01-01T00:00:00.000Z  exit   lapsed\n1970-01-31T00:00:00.000Z  enter  lapsed\n2 events replayed\nmembers at 1970-02-10T00:00:00.000Z: lapsed\n',
      code: 0,
    });
    // Without a time below 1e9, the same numbers are refused as seconds.
    const late = tempFile('late.jsonl', jsonl({ type: 'page_view', t: 12 * DAY }));
    expect(simulate({ rules: dormant, events: late }).messages).toMatch(/^skipped line 1: "t" is 1036800000, which looks like epoch seconds /);
    expect(simulate({ rules: dormant, events: tempFile('iso.jsonl', jsonl({ type: 'page_view', t: '2026-03-01' })), at: String(40 * DAY) }))
      .toEqual({ output: expect.stringMatching(/^seglet: --at is 3456000000, which looks like epoch seconds /) as string, code: 2 });
  });

  it('skips an impossible date and a date-time without a zone, each with its reason', () => {
    const events = tempFile('dates.jsonl', jsonl(
      { type: 'add_to_cart', t: '2026-03-01T10:00:00Z' },
      { type: 'purchase', t: '2026-02-30T10:00:00Z' },
      { type: 'purchase', t: '2026-03-01T10:10:00' },
      { type: 'purchase', t: '2026-03-01T24:00:00Z' },
    ));
    const { output, code, messages } = simulate({ rules, events, at: '2026-03-01T11:00:00Z' });
    expect(code).toBe(1);
    expect(messages).toBe([
      'skipped line 2: "t" is not a real date and time ("2026-02-30T10:00:00Z")',
      'skipped line 3: "t" has no time zone ("2026-03-01T10:10:00"): add Z for UTC or an offset such as +01:00',
      'skipped line 4: "t" is not a real date and time ("2026-03-01T24:00:00Z")',
      '',
    ].join('\n'));
    expect(output).toBe([
      '2026-03-01T10:30:00.000Z  enter  cart-abandoner',
      '1 event replayed',
      'members at 2026-03-01T11:00:00.000Z: cart-abandoner',
      '',
    ].join('\n'));
  });

  it('replays a log written as a JSON array, naming a skipped entry by its position', () => {
    const log = [
      { type: 'add_to_cart', t: T0, props: { sku: 'a' } },
      { type: 'Bad Type', t: T0 + 60_000 },
      { type: 'purchase', t: T0 + 45 * 60_000 },
    ];
    const events = tempFile('log.json', JSON.stringify(log, null, 2));
    expect(simulate({ rules, events })).toEqual({
      output: [
        '2026-03-01T10:30:00.000Z  enter  cart-abandoner',
        '2026-03-01T10:45:00.000Z  exit   cart-abandoner',
        '2 events replayed',
        'members at 2026-03-01T10:45:00.000Z: (none)',
        '',
      ].join('\n'),
      code: 1,
      messages: 'skipped event 2: /type: not an event type ([a-z0-9_.:-]{1,64})\n',
    });
  });

  it('reads rules and events that start with a UTF-8 byte order mark', () => {
    const bomRules = tempFile('bom-rules.json', `\uFEFF${readFileSync(rules, 'utf8')}`);
    const events = tempFile('bom.jsonl', `\uFEFF${jsonl({ type: 'add_to_cart', t: T0 })}\r\n`);
    expect(simulate({ rules: bomRules, events, at: '2026-03-01T10:30:00Z' })).toEqual({
      output: '2026-03-01T10:30:00.000Z  enter  cart-abandoner\n1 event replayed\nmembers at 2026-03-01T10:30:00.000Z: cart-abandoner\n',
      code: 0,
    });
  });

  it('past the wake-up cap, stops listing but brings the engine to the end: the final members are right', () => {
    const evening = tempFile('cap.json', { version: 1, segments: { evening: { when: { context: 'hour', gte: 18 } } } });
    const events = tempFile('cap.jsonl', jsonl({ type: 'page_view', t: '2026-03-01T10:00:00Z' }, { type: 'page_view', t: '2026-03-04T10:00:00Z' }));
    const { output, code } = simulate({ rules: evening, events, at: '2026-03-06T20:00:00Z', tz: 'UTC' }, { maxWakeups: 32 });
    expect(code).toBe(0);
    expect(output).toBe([
      '2026-03-01T18:00:00.000Z  enter  evening',
      '2026-03-02T00:00:00.000Z  exit   evening',
      '2026-03-02T18:00:00.000Z  enter  evening',
      '2 events replayed',
      // The hour wakes the engine every hour: the 32nd wake-up is 03-02 18:00.
      'stopped listing at 2026-03-02T18:00:00.000Z after 32 wake-ups; later changes are not listed',
      'members at 2026-03-06T20:00:00.000Z: evening',
      '',
    ].join('\n'));
    // At 17:00 the same log ends outside the evening.
    expect(simulate({ rules: evening, events, at: '2026-03-06T17:00:00Z', tz: 'UTC' }, { maxWakeups: 32 }).output)
      .toContain('members at 2026-03-06T17:00:00.000Z: (none)');
    // The cap reached after the last event.
    const one = tempFile('cap-one.jsonl', jsonl({ type: 'page_view', t: '2026-03-01T10:00:00Z' }));
    expect(simulate({ rules: evening, events: one, at: '2026-03-06T20:00:00Z', tz: 'UTC' }, { maxWakeups: 32 }).output).toBe([
      '2026-03-01T18:00:00.000Z  enter  evening',
      '2026-03-02T00:00:00.000Z  exit   evening',
      '2026-03-02T18:00:00.000Z  enter  evening',
      '1 event replayed',
      'stopped listing at 2026-03-02T18:00:00.000Z after 32 wake-ups; later changes are not listed',
      'members at 2026-03-06T20:00:00.000Z: evening',
      '',
    ].join('\n'));
  });

  it('uses --tz for hour-based rules', () => {
    const evening = tempFile('evening.json', { version: 1, segments: { evening: { when: { context: 'hour', gte: 18 } } } });
    const events = tempFile('one.jsonl', jsonl({ type: 'page_view', t: '2026-03-01T16:30:00Z' }));
    const at = '2026-03-01T17:10:00Z';
    // 18:00 in Berlin (UTC+1) is 17:00Z: the hour turns without any event.
    expect(simulate({ rules: evening, events, at, tz: 'Europe/Berlin' }).output)
      .toBe('2026-03-01T17:00:00.000Z  enter  evening\n1 event replayed\nmembers at 2026-03-01T17:10:00.000Z: evening\n');
    // 02:10 in Tokyo.
    expect(simulate({ rules: evening, events, at, tz: 'Asia/Tokyo' }).output).toContain('members at 2026-03-01T17:10:00.000Z: (none)');
  });

  it('rejects a bad --at or --tz with exit 2', () => {
    const events = tempFile('e.jsonl', '');
    expect(simulate({ rules, events, at: 'yesterday' })).toEqual({ output: 'seglet: --at must be an ISO 8601 time or epoch milliseconds, got "yesterday"\n', code: 2 });
    expect(simulate({ rules, events, at: '9e99' }).code).toBe(2);
    expect(simulate({ rules, events, at: '2026-02-31' })).toEqual({ output: 'seglet: --at is not a real date and time ("2026-02-31")\n', code: 2 });
    expect(simulate({ rules, events, at: '2026-03-01T10:00:00' }))
      .toEqual({ output: 'seglet: --at has no time zone ("2026-03-01T10:00:00"): add Z for UTC or an offset such as +01:00\n', code: 2 });
    const tz = simulate({ rules, events, at: '0', tz: 'Mars/Olympus' });
    expect(tz.code).toBe(2);
    expect(tz.output).toMatch(/^seglet: --tz: /);
    // Once "seglet: ", not the core's prefix again after the CLI's.
    expect(tz.output).toBe('seglet: --tz: timeZone "Mars/Olympus" is not a known IANA time zone\n');
    // A usage error before any file is read: the files need not exist.
    expect(simulate({ rules: missing, events: missing, tz: 'Mars/Olympus' }))
      .toEqual({ output: 'seglet: --tz: timeZone "Mars/Olympus" is not a known IANA time zone\n', code: 2 });
  });

  it('says the files are swapped when the event log was given first and the second file is a rule set', () => {
    const log = tempFile('first.jsonl', jsonl({ type: 'add_to_cart', t: T0 }, { type: 'purchase', t: T0 + 1 }));
    const swapped = simulate({ rules: log, events: rules });
    expect(swapped.code).toBe(1);
    expect(swapped.output).toMatch(/^seglet: .*first\.jsonl is not valid JSON: .+\n/);
    expect(swapped.output.split('\n').at(-2)).toBe(`seglet: ${rules} is a rule set: give it first, then the event log (seglet simulate ${rules} ${log})`);
    // A log written as one array is valid JSON, but no rule set.
    const array = tempFile('first.json', JSON.stringify([{ type: 'add_to_cart', t: T0 }]));
    expect(simulate({ rules: array, events: rules }).output).toMatch(/^error \(root\): .+\nseglet: .+ is not a valid rule set .+\nseglet: .+ is a rule set: give it first, then the event log \(seglet simulate .+\)\n$/);
    // Not said when the second file is no rule set either.
    expect(simulate({ rules: log, events: log }).output).not.toContain('give it first');
  });

  it('exits 1 for missing files, invalid JSON and invalid rules', () => {
    const events = tempFile('ok.jsonl', jsonl({ type: 'add_to_cart', t: T0 }));
    expect(simulate({ rules: missing, events }).code).toBe(1);
    expect(simulate({ rules, events: missing })).toEqual({ output: `seglet: cannot read ${missing}: no such file\n`, code: 1 });
    expect(simulate({ rules: tempFile('x.json', '{'), events }).code).toBe(1);
    const invalid = simulate({ rules: tempFile('inv.json', { version: 1, segments: { a: { when: { segment: 'nope' } } } }), events });
    expect(invalid.code).toBe(1);
    expect(invalid.output).toMatch(/^error \/segments\/a\/when\/segment: /m);
  });
});
