import { describe, expect, it, vi } from 'vitest';
import { createEngine, SegletError } from '../src/index.js';
import type { Change, ExplainNode, RuleSet, SegEvent } from '../src/index.js';
import { ch, expectFlipAt, harness, one, ruleSet, tickAt, trackAt } from './helpers/setup.js';
import { fakeClock, HOUR, MIN, T0 } from './helpers/fakeClock.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SegletError);
    return (e as SegletError).code;
  }
  return undefined;
}

describe('setRules', () => {
  it('invalid rules throw invalid_rules and leave the engine unchanged', () => {
    const h = harness(one({ count: 'x', gte: 2 }));
    trackAt(h, T0, 'x');
    const bad = { version: 1, segments: { s: { when: { count: 'x', gte: 1, within: '24hours' } } } } as unknown as RuleSet;
    h.clock.set(T0 + 1);
    expect(codeOf(() => h.engine.setRules(bad))).toBe('invalid_rules');
    expect(h.engine.members()).toEqual([]);
    expect(trackAt(h, T0 + 2, 'x')).toEqual([ch('s', true, T0 + 2)]);
  });

  it('members of removed segments exit first, then the diff of the new rule set', () => {
    const h = harness(ruleSet({ a: { count: 'x', gte: 1 }, b: { count: 'x', gte: 1 } }));
    trackAt(h, T0, 'x');
    h.clock.set(T0 + 1);
    const changes = h.engine.setRules(ruleSet({ c: { count: 'x', gte: 1 }, b: { count: 'x', gte: 2 } }));
    expect(changes).toEqual([ch('a', false, T0 + 1), ch('b', false, T0 + 1), ch('c', true, T0 + 1)]);
    expect(h.engine.members()).toEqual(['c']);
    expect(h.log.slice(-3)).toEqual(changes);
  });

  it('backfills new segments from the retained log', () => {
    const h = harness(ruleSet({ other: { trait: 'x', eq: 1 } }));
    trackAt(h, T0, 'view_item');
    trackAt(h, T0 + MIN, 'view_item');
    h.clock.set(T0 + 2 * MIN);
    expect(h.engine.setRules(ruleSet({ viewer: { count: 'view_item', within: '1h', gte: 2 } }))).toEqual([ch('viewer', true, T0 + 2 * MIN)]);
    expectFlipAt(h, 'viewer', T0 + HOUR, false);
  });

  it('on() handlers of a removed id stay registered and fire again when it is re-added', () => {
    const rules = ruleSet({ a: { count: 'x', gte: 1 } });
    const h = harness(rules);
    const calls: string[] = [];
    h.engine.on('a', (c) => calls.push(`in@${c.t}`), (c) => calls.push(`out@${c.t}`));
    trackAt(h, T0, 'x');
    h.clock.set(T0 + 1);
    h.engine.setRules(ruleSet({ b: { count: 'x', gte: 1 } }));
    h.clock.set(T0 + 2);
    h.engine.setRules(rules);
    expect(calls).toEqual([`in@${T0}`, `out@${T0 + 1}`, `in@${T0 + 2}`]);
  });

  it('running holds are restored: the replay sees when the condition was true', () => {
    const a = { when: { count: 'x', within: '1h', gte: 1 }, hold: '2h' } as const;
    const h = harness(ruleSet({ a }));
    trackAt(h, T0, 'x');
    h.clock.set(T0 + 90 * MIN);
    expect(h.engine.tick()).toEqual([]);
    expect(h.engine.has('a')).toBe(true);
    expect(h.engine.setRules(ruleSet({ a, b: { count: 'x', gte: 1 } }))).toEqual([ch('b', true, T0 + 90 * MIN)]);
    expect(h.engine.explain('a')).toMatchObject({ member: true, holds: false, holdUntil: T0 + 3 * HOUR });
    expectFlipAt(h, 'a', T0 + 3 * HOUR, false);
  });

  it('a hold added by setRules applies to a condition that was true in the past', () => {
    const h = harness(one({ count: 'x', within: '1h', gte: 1 }));
    trackAt(h, T0, 'x');
    tickAt(h, T0 + 90 * MIN);
    expect(h.engine.has('s')).toBe(false);
    expect(h.engine.setRules(one({ count: 'x', within: '1h', gte: 1 }, { hold: '1h' }))).toEqual([ch('s', true, T0 + 90 * MIN)]);
    expectFlipAt(h, 's', T0 + 2 * HOUR, false);
  });
});

describe('identify and setContext: invalid values', () => {
  const rules = ruleSet({ pro: { trait: 'plan', eq: 'pro' }, m: { context: 'device', eq: 'mobile' } });
  const badValues: [string, unknown][] = [
    ['nested object', { a: 1 }],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['long string', 'x'.repeat(513)],
    ['long array', Array.from({ length: 33 }, () => 1)],
    ['nested array', [[1]]],
  ];

  it.each(badValues)('identify with %s throws invalid_value and changes nothing', (_n, v) => {
    const h = harness(rules, { userId: 'u1' });
    h.clock.set(T0 + 1);
    expect(codeOf(() => h.engine.identify('u2', { plan: 'pro', bad: v } as never))).toBe('invalid_value');
    expect(h.engine.userId).toBe('u1');
    expect(h.engine.members()).toEqual([]);
    expect(h.log).toEqual([]);
  });

  it.each(badValues)('setContext with %s throws invalid_value and changes nothing', (_n, v) => {
    const h = harness(rules);
    h.clock.set(T0 + 1);
    expect(codeOf(() => h.engine.setContext({ device: 'mobile', bad: v } as never))).toBe('invalid_value');
    expect(h.engine.members()).toEqual([]);
    expect(h.engine.setContext({ device: 'mobile' })).toEqual([ch('m', true, T0 + 1)]);
  });

  it('bad keys and too many keys are invalid values too', () => {
    const h = harness(rules);
    expect(codeOf(() => h.engine.setContext(JSON.parse('{"__proto__": "x"}') as never))).toBe('invalid_value');
    expect(codeOf(() => h.engine.identify('u', { 'bad key': 1 }))).toBe('invalid_value');
    expect(codeOf(() => h.engine.identify('u', Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i]))))).toBe('invalid_value');
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
    expect(h.engine.userId).toBeNull();
  });

  it('invalid createEngine traits or context are rejected', () => {
    expect(codeOf(() => createEngine({ rules, traits: { a: NaN } }))).toMatch(/^invalid_(value|option)$/);
    expect(codeOf(() => createEngine({ rules, context: { a: { b: 1 } } as never }))).toMatch(/^invalid_(value|option)$/);
  });
});

describe('events option (restore)', () => {
  it('replays history in time order; invalid entries are skipped and each reported as invalid_event', () => {
    const errors: SegletError[] = [];
    const clock = fakeClock(T0 + 10 * MIN);
    const e = createEngine({
      rules: ruleSet({ two: { count: 'x', within: '1h', gte: 2 }, big: { count: 'x', where: { n: 3 }, gte: 1 } }),
      now: clock.now,
      timeZone: 'UTC',
      onError: (err) => errors.push(err),
      events: [
        { type: 'x', t: T0 + 5 * MIN, props: { n: 2 } },
        { type: 'Bad Type', t: T0 },
        { type: 'x', t: T0, props: { n: 1 } },
        { type: 'x', t: T0 + MIN, props: { n: { deep: 1 } } as never },
        { type: 'x', t: T0 + 2 * MIN, props: { n: NaN } },
      ],
    });
    expect(errors.map((x) => x.code)).toEqual(['invalid_event', 'invalid_event', 'invalid_event']);
    expect(errors.every((x) => x instanceof SegletError)).toBe(true);
    expect(e.events().map((x) => x.props?.['n'])).toEqual([1, 2]);
    expect(e.members()).toEqual(['two']);
    clock.set(T0 + HOUR);
    expect(e.tick()).toEqual([ch('two', false, T0 + HOUR)]);
  });

  it('entries that are not even objects are skipped and reported as invalid_event too', () => {
    const errors: unknown[] = [];
    const clock = fakeClock(T0);
    const e = createEngine({
      rules: one({ count: 'x', gte: 1 }),
      now: clock.now,
      timeZone: 'UTC',
      onError: (err) => errors.push(err),
      events: [null, 'x', 42, { type: 'x', t: T0 }, [] as unknown] as SegEvent[],
    });
    expect(e.events()).toHaveLength(1);
    expect(errors).toHaveLength(4);
    for (const err of errors) {
      expect(err).toBeInstanceOf(SegletError);
      expect((err as SegletError).code).toBe('invalid_event');
    }
    // Each issue is a JSON pointer into `events`: the entry itself when it is not an object.
    expect((errors as SegletError[]).map((err) => err.issues?.map((x) => x.path))).toEqual([['/events/0'], ['/events/1'], ['/events/2'], ['/events/4']]);
  });

  it("an entry's issues point into events, at the entry's own field", () => {
    const errors: SegletError[] = [];
    createEngine({ rules: one({ count: 'x', gte: 1 }), onError: (err) => errors.push(err), events: [{ type: 'x' }, { type: 'Bad', props: { a: NaN, b: { c: 1 } } } as unknown as SegEvent] });
    expect(errors.map((err) => err.issues?.map((x) => x.path))).toEqual([['/events/1/type']]);
    createEngine({ rules: one({ count: 'x', gte: 1 }), onError: (err) => errors.push(err), events: [{ type: 'x', props: { a: NaN, b: { c: 1 } } } as unknown as SegEvent] });
    expect(errors[1]?.issues?.map((x) => x.path)).toEqual(['/events/0/props/a', '/events/0/props/b']);
  });

  it('a restored hold keeps running after a reload', () => {
    const rules = one({ count: 'x', within: '1h', gte: 1 }, { hold: '2h' });
    const clock = fakeClock(T0 + 90 * MIN);
    const e = createEngine({ rules, now: clock.now, timeZone: 'UTC', events: [{ type: 'x', t: T0 }] });
    expect(e.members()).toEqual(['s']);
    const enter = vi.fn<(c: Change) => void>();
    e.on('s', enter);
    expect(enter).toHaveBeenCalledWith(ch('s', true, T0 + 90 * MIN));
    clock.set(T0 + 3 * HOUR - 1);
    expect(e.tick()).toEqual([]);
    expect(e.nextChange()).toBe(T0 + 3 * HOUR);
    clock.set(T0 + 3 * HOUR);
    expect(e.tick()).toEqual([ch('s', false, T0 + 3 * HOUR)]);
  });

  it('restored events beyond retain.events are dropped, oldest first', () => {
    const clock = fakeClock(T0 + HOUR);
    const e = createEngine({
      rules: one({ count: 'x', gte: 1 }, {}, { retain: { events: 2 } }),
      now: clock.now,
      timeZone: 'UTC',
      events: [3, 1, 2].map((n) => ({ type: 'x', t: T0 + n, props: { n } })),
    });
    expect(e.events().map((x) => x.props?.['n'])).toEqual([2, 3]);
  });
});

describe('explain()', () => {
  it('returns a tree with kinds, JSON-pointer paths, values and verdicts', () => {
    const h = harness(ruleSet({
      s: { all: [{ count: 'page_view', within: '1h', gte: 3 }, { not: { trait: 'plan', eq: 'pro' } }, { sum: 'purchase', of: 'value', gt: 10 }] },
    }));
    trackAt(h, T0, 'page_view');
    trackAt(h, T0 + 1, 'page_view');
    trackAt(h, T0 + 2, 'purchase', { value: 25 });
    const x = h.engine.explain('s');
    expect(x).toMatchObject({ segment: 's', member: false, holds: false, holdUntil: null });
    const root: ExplainNode = x.condition;
    expect(root).toMatchObject({ kind: 'all', path: '/segments/s/when', verdict: false });
    expect(typeof root.text).toBe('string');
    expect(root.children).toHaveLength(3);
    expect(root.children![0]).toMatchObject({ kind: 'count', path: '/segments/s/when/all/0', value: 2, verdict: false });
    expect(root.children![1]).toMatchObject({ kind: 'not', path: '/segments/s/when/all/1', verdict: true });
    expect(root.children![1]!.children![0]).toMatchObject({ kind: 'trait', path: '/segments/s/when/all/1/not', value: null, verdict: false });
    expect(root.children![2]).toMatchObject({ kind: 'sum', value: 25, verdict: true });
    trackAt(h, T0 + 3, 'page_view');
    expect(h.engine.explain('s')).toMatchObject({ member: true, holds: true, condition: { verdict: true, children: [{ value: 3, verdict: true }, {}, {}] } });
  });

  it('unknown id throws unknown_segment', () => {
    const h = harness(one({ count: 'x', gte: 1 }));
    expect(codeOf(() => h.engine.explain('nope'))).toBe('unknown_segment');
  });
});

describe('inputs are never mutated', () => {
  const deepFreeze = <T>(o: T): T => {
    if (o && typeof o === 'object') {
      for (const v of Object.values(o)) deepFreeze(v);
      Object.freeze(o);
    }
    return o;
  };

  it('frozen rules, traits, context, restored events and props work and are left as they were', () => {
    const rules = deepFreeze(ruleSet({
      a: { when: { all: [{ count: 'x', where: { tags: 'b' }, within: '1h', gte: 1 }, { trait: 'plan', eq: 'pro' }] }, hold: '10m' },
      b: { score: { terms: [{ weight: 1, value: { count: 'x' }, cap: 3 }] }, gte: 0.5 },
      c: { cluster: { features: [{ value: { count: 'x' } }], mean: [0], scale: [1], centroids: { lo: [0], hi: [5] } }, eq: 'lo' },
    }, { session: { timeout: '30m' }, retain: { events: 100, for: '30d' } }));
    const snapshot = JSON.stringify(rules);
    const events = deepFreeze([{ type: 'x', t: T0 - MIN, props: { tags: ['a', 'b'] } }]);
    const clock = fakeClock(T0);
    const e = createEngine({ rules, events, now: clock.now, timeZone: 'UTC', traits: deepFreeze({ plan: 'pro' }), context: deepFreeze({ device: 'mobile' }) });
    expect(e.members()).toEqual(['a', 'b', 'c']);
    clock.set(T0 + 1);
    e.track('x', deepFreeze({ tags: ['b'] }));
    e.setContext(deepFreeze({ device: 'desktop' }));
    e.identify('u', deepFreeze({ plan: 'pro' }));
    e.setRules(rules);
    expect(JSON.stringify(rules)).toBe(snapshot);
  });

  it('arrays handed out by events() and explain() are copies: mutating them leaves the log and context as they were', () => {
    const rules = ruleSet({ s: { sum: 'x', of: 'v', eq: 1 }, l: { last: 'x', of: 'v', in: [1] }, c: { context: 'tags', in: ['a'] } });
    const h = harness(rules, { context: { tags: ['a'] } });
    trackAt(h, T0, 'x', { v: [1] });
    (h.engine.events()[0]?.props?.['v'] as number[]).push(5);
    (h.engine.explain('l').condition.value as number[]).push(7);
    (h.engine.explain('c').condition.value as string[]).splice(0, 1, 'z');
    expect(h.engine.events()[0]?.props).toEqual({ v: [1] });
    expect(h.engine.explain('c').condition.value).toEqual(['a']);
    // A rebuild from the log finds the data as tracked: no change without new data.
    expect(h.engine.setRules(rules)).toEqual([]);
    expect(h.engine.members()).toEqual(['s', 'l', 'c']);
  });
});
