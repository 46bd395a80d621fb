// The device's own zone is read through `Date` (a first Intl formatter costs tens of ms in a fresh
// browser page); it must give exactly what the named zone's formatter gives, hour turns included,
// in zones with 30- and 45-minute offsets, a 30-minute DST shift and the usual DST gaps.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { localClock } from '../src/localClock.js';

const ZONES = ['Asia/Kathmandu', 'Australia/Lord_Howe', 'America/St_Johns', 'Europe/Paris', 'America/New_York', 'Pacific/Chatham', 'UTC'];
const saved = process.env.TZ;
afterEach(() => {
  if (saved === undefined) delete process.env.TZ;
  else process.env.TZ = saved;
});

// 2020-2030, with steps from a second to two days: walks cross hour turns and DST changes.
const start = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) });
const steps = fc.array(fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 3_600_000 }), fc.integer({ min: 0, max: 2 * 86_400_000 })), { maxLength: 40 });

describe('localClock', () => {
  it.each(ZONES)('the device zone (TZ=%s) reads as the same named zone', (zone) => {
    process.env.TZ = zone;
    // Node re-reads TZ when it is set; without that the comparison would prove nothing.
    expect(new Date(Date.UTC(2024, 0, 1)).getTimezoneOffset() !== 0).toBe(zone !== 'UTC');
    fc.assert(fc.property(start, steps, (t0, ds) => {
      const device = localClock(undefined);
      const named = localClock(zone);
      let t = t0;
      for (const d of [0, ...ds]) {
        t += d;
        expect(device(t)).toEqual(named(t));
      }
    }), { numRuns: 200 });
  });

  it('follows a DST change at the instant the hour turns', () => {
    process.env.TZ = 'Europe/Paris';
    const read = localClock(undefined);
    // 2026-03-29 01:00 UTC: 02:00 local becomes 03:00.
    const change = Date.UTC(2026, 2, 29, 1);
    expect(read(change - 1)).toMatchObject({ hour: 1, next: change });
    expect(read(change)).toMatchObject({ hour: 3, weekday: 0, next: change + 3_600_000 });
  });

  it('an unknown named zone throws invalid_option at once', () => {
    expect(() => localClock('Mars/Olympus_Mons')).toThrow(expect.objectContaining({ code: 'invalid_option' }));
  });
});
