import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/index.js';
import type { Change, RuleSet } from '../../src/index.js';
import { DAY, MIN } from '../helpers/fakeClock.js';

// hour and weekday in several time zones (half- and quarter-hour offsets, DST both ways), with holds,
// followed by random ticks: the change log must match a minute-by-minute reading of the wall clock.

const ZONES = ['UTC', 'Europe/Paris', 'Asia/Kolkata', 'Asia/Kathmandu', 'America/St_Johns', 'Australia/Lord_Howe', 'America/Santiago'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
// Around DST changes: Paris spring and autumn 2026, Lord Howe and Santiago in April 2026.
const STARTS = [Date.UTC(2026, 2, 28, 20), Date.UTC(2026, 9, 24, 20), Date.UTC(2026, 3, 4, 10), Date.UTC(2026, 0, 5, 12)];

function wall(timeZone: string) {
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', hour: 'numeric', weekday: 'short' });
  return (t: number) => {
    const parts = Object.fromEntries(fmt.formatToParts(t).map((p) => [p.type, p.value]));
    return { hour: Number(parts['hour']) % 24, weekday: DAYS.indexOf(parts['weekday'] as string) };
  };
}

const segArb = fc.record({
  key: fc.constantFrom('hour' as const, 'weekday' as const),
  values: fc.uniqueArray(fc.integer({ min: 0, max: 23 }), { minLength: 1, maxLength: 4 }),
  hold: fc.constantFrom(0, 0, 15 * MIN, 90 * MIN),
});

describe('hour and weekday follow the wall clock of the time zone, with holds', () => {
  it('the change log matches a minute-by-minute reading', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES), fc.constantFrom(...STARTS), fc.array(segArb, { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 1, max: 600 }), { minLength: 1, maxLength: 8 }),
        (timeZone, start, segs, gaps) => {
          const segments: RuleSet['segments'] = {};
          segs.forEach((s, i) => {
            const values = s.key === 'weekday' ? s.values.map((v) => v % 7) : s.values;
            segments[`s${i}`] = { when: { context: s.key, in: values }, ...(s.hold ? { hold: s.hold } : {}) };
          });
          let now = start;
          const engine = createEngine({ rules: { version: 1, segments }, now: () => now, timeZone });
          const log: Change[] = [];
          const initial = new Set(engine.members());
          engine.subscribe((c) => log.push(c));
          for (const g of gaps) {
            now += g * MIN;
            engine.tick();
          }
          const end = now;
          expect(end - start).toBeLessThan(3 * DAY);
          const read = wall(timeZone);
          const state = new Set(initial);
          const cond: boolean[] = [];
          const falseSince: (number | null)[] = segs.map(() => null);
          let k = 0;
          for (let t = start; t <= end; t += MIN) {
            const w = read(t);
            const want: string[] = [];
            segs.forEach((s, i) => {
              const values = s.key === 'weekday' ? s.values.map((v) => v % 7) : s.values;
              const c = values.includes(w[s.key]);
              if (c) falseSince[i] = null;
              else if (cond[i] && t > start) falseSince[i] = t;
              cond[i] = c;
              if (c || (falseSince[i] !== null && t < falseSince[i]! + s.hold)) want.push(`s${i}`);
            });
            for (; k < log.length && log[k]!.t <= t; k++) {
              const c = log[k]!;
              expect(state.has(c.segment)).toBe(!c.member);
              expect(c.t % MIN, 'changes fall on whole minutes here').toBe(0);
              if (c.member) state.add(c.segment);
              else state.delete(c.segment);
            }
            expect(segs.map((_, i) => `s${i}`).filter((s) => state.has(s)), `${timeZone} at ${new Date(t).toISOString()}`).toEqual(want);
          }
        },
      ),
      { numRuns: 60, seed: 3 },
    );
  });
});
