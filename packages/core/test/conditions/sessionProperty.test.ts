import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/index.js';
import type { Condition, RuleSet } from '../../src/index.js';
import { MIN, T0 } from '../helpers/fakeClock.js';

// Sessions, within "session" and retention by count, including late events, against a from-scratch
// evaluation of the retained log after every call.

type Ev = { type: string; t: number; seq: number };
const TIMEOUT = 30 * MIN;

function fromScratch(log: Ev[], keep: number) {
  const sorted = [...log].sort((a, b) => a.t - b.t || a.seq - b.seq).slice(-keep);
  if (sorted.length === 0) return { pageViews: 0, events: 0, duration: 0, number: 0, inSession: 0 };
  let number = 1;
  let start = 0;
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.t - sorted[i - 1]!.t >= TIMEOUT) {
      number++;
      start = i;
    }
  }
  const latest = sorted.slice(start);
  return {
    pageViews: latest.filter((e) => e.type === 'page_view').length,
    events: latest.length,
    duration: latest.at(-1)!.t - latest[0]!.t,
    number,
    inSession: latest.filter((e) => e.type === 'x').length,
  };
}

const metrics = ['pageViews', 'events', 'duration', 'number', 'inSession'] as const;
type Metric = (typeof metrics)[number];
const condition = (m: Metric, op: 'gte' | 'lt', v: number): Condition =>
  m === 'inSession' ? { count: 'x', within: 'session', [op]: v } : { session: m, [op]: m === 'duration' ? v * MIN : v };

const scenario = fc.record({
  keep: fc.integer({ min: 2, max: 6 }),
  segs: fc.array(fc.record({ m: fc.constantFrom(...metrics), op: fc.constantFrom('gte' as const, 'lt' as const), v: fc.integer({ min: 1, max: 4 }) }), { minLength: 1, maxLength: 6 }),
  steps: fc.array(
    fc.record({ dt: fc.integer({ min: 0, max: 45 }), type: fc.constantFrom('page_view', 'x', 'click'), late: fc.option(fc.integer({ min: 1, max: 90 }), { freq: 4 }) }),
    { minLength: 1, maxLength: 25 },
  ),
});

describe('sessions and retention by count against a from-scratch evaluation', () => {
  it('members() after every call equals the from-scratch answer', () => {
    fc.assert(
      fc.property(scenario, ({ keep, segs, steps }) => {
        const segments: RuleSet['segments'] = {};
        segs.forEach((s, i) => { segments[`s${i}`] = { when: condition(s.m, s.op, s.v) }; });
        let now = T0;
        const engine = createEngine({ rules: { version: 1, session: { timeout: TIMEOUT }, retain: { events: keep }, segments }, now: () => now, timeZone: 'UTC' });
        const log: Ev[] = [];
        let seq = 0;
        for (const { dt, type, late } of steps) {
          now += dt * MIN;
          const t = late === null ? now : now - late * MIN;
          log.push({ type, t, seq: ++seq });
          engine.track(type, {}, { t });
          const v = fromScratch(log, keep);
          const want = segs.flatMap((s, i) => {
            const x = v[s.m];
            const lim = s.m === 'duration' ? s.v * MIN : s.v;
            return (s.op === 'gte' ? x >= lim : x < lim) ? [`s${i}`] : [];
          });
          expect(engine.members(), JSON.stringify(v)).toEqual(want);
        }
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});
