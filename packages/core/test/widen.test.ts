// A replay with holds brings segments into its walk as their spans begin (Network.widen). What the
// walk owes the segments already in it (a window expiring before that instant) must be done first,
// so nothing due at or before the joining instant is left for later, out of time order.
import { describe, expect, it } from 'vitest';
import { localClock } from '../src/localClock.js';
import { Network } from '../src/Network.js';
import type { Change, RuleSet } from '../src/types.js';

describe('Network.widen', () => {
  it('performs what is due up to the joining instant before the new segments join', () => {
    const rules: RuleSet = {
      version: 1,
      segments: {
        long: { when: { count: 'a', within: '10ms', gte: 1 }, hold: '100ms' },
        short: { when: { count: 'b', within: '10ms', gte: 1 }, hold: '5ms' },
      },
    };
    const n = new Network(rules, { anonymousId: 'x', clock: localClock('UTC'), context: {}, traits: {} }, 0);
    const out: Change[] = [];
    expect(n.walkSpans()).toEqual([100, 5]);
    n.focusOnHolds(1000);
    // `long` joins (its span begins at 900); `short` (at 995) not yet.
    expect(n.widen(0, 900, out)).toBe(995);
    n.advance(900, out);
    n.insert({ type: 'a', t: 900, seq: 1, props: {} }, 900, out);
    expect(n.nextChange()).toBe(910);
    // `short` joins at 950: the window of `long` expired at 910, which starts its hold there.
    expect(n.widen(950, 995, out)).toBe(Infinity);
    expect(n.nextChange()).toBe(1010);
    expect(out).toEqual([{ segment: 'long', member: true, t: 900 }]);
  });
});
