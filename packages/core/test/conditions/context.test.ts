import { describe, expect, it } from 'vitest';
import { ch, expectFlipAt, harness, ruleSet, tickAt } from '../helpers/setup.js';
import { HOUR, MIN, T0 } from '../helpers/fakeClock.js';

// T0 is Monday 2026-01-05 12:00 UTC.
describe('context', () => {
  it('hour follows the clock in UTC, with no event', () => {
    const h = harness(ruleSet({ six: { context: 'hour', eq: 18 } }));
    expect(h.engine.has('six')).toBe(false);
    expectFlipAt(h, 'six', Date.UTC(2026, 0, 5, 18), true);
    expectFlipAt(h, 'six', Date.UTC(2026, 0, 5, 19), false);
  });

  it('hour in Europe/Paris (UTC+1 in winter): evening starts at 17:00Z, ends at midnight Paris', () => {
    const h = harness(ruleSet({ evening: { context: 'hour', gte: 18 } }), { timeZone: 'Europe/Paris' });
    expect(h.engine.has('evening')).toBe(false);
    expectFlipAt(h, 'evening', Date.UTC(2026, 0, 5, 17), true);
    expectFlipAt(h, 'evening', Date.UTC(2026, 0, 5, 23), false);
  });

  it('hour in Europe/Paris across the spring DST jump (01:59 CET -> 03:00 CEST)', () => {
    const start = Date.UTC(2026, 2, 28, 23, 30); // 00:30 CET on Sunday 29 March
    const h = harness(ruleSet({ two: { context: 'hour', eq: 2 }, three: { context: 'hour', eq: 3 } }), { timeZone: 'Europe/Paris', start });
    expectFlipAt(h, 'three', Date.UTC(2026, 2, 29, 1), true);
    expect(h.engine.has('two')).toBe(false);
    expectFlipAt(h, 'three', Date.UTC(2026, 2, 29, 2), false);
  });

  it('hour and weekday in Asia/Kolkata (UTC+5:30) flip at the half hour', () => {
    const h = harness(ruleSet({ evening: { context: 'hour', gte: 18 }, tuesday: { context: 'weekday', eq: 2 } }), { timeZone: 'Asia/Kolkata' });
    expect(h.engine.members()).toEqual([]);
    expectFlipAt(h, 'evening', Date.UTC(2026, 0, 5, 12, 30), true);
    // midnight in Kolkata: Monday 23:59 -> Tuesday 00:00; hour 23 -> 0 at the same instant
    const midnight = Date.UTC(2026, 0, 5, 18, 30);
    expect(tickAt(h, midnight - 1)).toEqual([]);
    expect(h.engine.nextChange()).toBe(midnight);
    expect(tickAt(h, midnight)).toEqual([ch('evening', false, midnight), ch('tuesday', true, midnight)]);
  });

  it.each([
    ['Asia/Kathmandu', Date.UTC(2026, 0, 5, 12, 15)],
    ['America/St_Johns', Date.UTC(2026, 0, 5, 21, 30)],
    ['Asia/Kolkata', Date.UTC(2026, 0, 5, 12, 30)],
    ['Europe/Paris', Date.UTC(2026, 0, 5, 17)],
    ['UTC', Date.UTC(2026, 0, 5, 18)],
  ])('hour 18 starts in %s at the right UTC instant', (timeZone, at) => {
    const h = harness(ruleSet({ evening: { context: 'hour', eq: 18 } }), { timeZone });
    expectFlipAt(h, 'evening', at, true);
  });

  it('hour in Europe/Paris across the autumn DST fall-back (02:59 CEST -> 02:00 CET): 2 lasts two real hours', () => {
    const start = Date.UTC(2026, 9, 24, 23, 30); // 01:30 CEST on Sunday 25 October
    const h = harness(ruleSet({ two: { context: 'hour', eq: 2 }, three: { context: 'hour', eq: 3 } }), { timeZone: 'Europe/Paris', start });
    expectFlipAt(h, 'two', Date.UTC(2026, 9, 25, 0), true);
    expect(tickAt(h, Date.UTC(2026, 9, 25, 1, 30))).toEqual([]);
    expect(h.engine.members()).toEqual(['two']);
    const three = Date.UTC(2026, 9, 25, 2);
    expect(tickAt(h, three - 1)).toEqual([]);
    expect(tickAt(h, three)).toEqual([ch('two', false, three), ch('three', true, three)]);
  });

  it('weekday counts Sunday as 0 and flips at midnight in the time zone', () => {
    const sundayNoon = Date.UTC(2026, 0, 4, 12);
    const h = harness(ruleSet({ sunday: { context: 'weekday', eq: 0 }, monday: { context: 'weekday', eq: 1 } }), { timeZone: 'Europe/Paris', start: sundayNoon });
    expect(h.engine.members()).toEqual(['sunday']);
    const midnightParis = Date.UTC(2026, 0, 4, 23);
    expect(tickAt(h, midnightParis - 1)).toEqual([]);
    expect(tickAt(h, midnightParis)).toEqual([ch('sunday', false, midnightParis), ch('monday', true, midnightParis)]);
  });

  it('catch-up: a tick long after reports every hour change at its own instant', () => {
    const h = harness(ruleSet({ odd: { context: 'hour', in: [13, 15] } }));
    expect(tickAt(h, T0 + 4 * HOUR + 5 * MIN)).toEqual([
      ch('odd', true, T0 + HOUR),
      ch('odd', false, T0 + 2 * HOUR),
      ch('odd', true, T0 + 3 * HOUR),
      ch('odd', false, T0 + 4 * HOUR),
    ]);
  });

  it('host-passed hour and weekday are ignored', () => {
    const h = harness(ruleSet({ h3: { context: 'hour', eq: 3 }, h12: { context: 'hour', eq: 12 }, sat: { context: 'weekday', eq: 6 } }), {
      context: { hour: 3, weekday: 6 },
    });
    expect(h.engine.members()).toEqual(['h12']);
    h.clock.set(T0 + 1);
    expect(h.engine.setContext({ hour: 3, weekday: 6 })).toEqual([]);
    expect(h.engine.members()).toEqual(['h12']);
  });

  it('host keys: initial context applies, setContext merges, null removes, a missing key is null', () => {
    const h = harness(ruleSet({
      mobile: { context: 'device', eq: 'mobile' },
      fr: { context: 'country', eq: 'FR' },
      'no-campaign': { context: 'utm_campaign', exists: false },
      'null-plan': { context: 'plan', eq: null },
    }), { context: { device: 'mobile' } });
    expect(h.engine.members()).toEqual(['mobile', 'no-campaign', 'null-plan']);
    h.clock.set(T0 + 5);
    expect(h.engine.setContext({ country: 'FR', utm_campaign: 'spring' })).toEqual([ch('no-campaign', false, T0 + 5), ch('fr', true, T0 + 5)]);
    expect(h.engine.members()).toEqual(['mobile', 'fr', 'null-plan']);
    h.clock.set(T0 + 6);
    expect(h.engine.setContext({ device: null, utm_campaign: null })).toEqual([ch('mobile', false, T0 + 6), ch('no-campaign', true, T0 + 6)]);
    expect(h.engine.members()).toEqual(['fr', 'no-campaign', 'null-plan']);
  });

  it('array context values use any-element semantics', () => {
    const h = harness(ruleSet({ beta: { context: 'flags', eq: 'beta' }, 'no-alpha': { context: 'flags', ne: 'alpha' } }), { context: { flags: ['beta', 'dark'] } });
    expect(h.engine.members()).toEqual(['beta', 'no-alpha']);
    h.clock.set(T0 + 1);
    expect(h.engine.setContext({ flags: ['alpha'] })).toEqual([ch('beta', false, T0 + 1), ch('no-alpha', false, T0 + 1)]);
  });
});
