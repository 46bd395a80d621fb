import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEngine, SegletError, validateRules } from '../src/index.js';
import type { Change, PropValue } from '../src/index.js';
import { ch, harness, one, ruleSet, trackAt } from './helpers/setup.js';
import { fakeClock, T0 } from './helpers/fakeClock.js';

function expectCode(fn: () => unknown, code: string): SegletError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(SegletError);
  const err = caught as SegletError;
  expect(err.code).toBe(code);
  expect(err.message.startsWith('seglet:')).toBe(true);
  return err;
}

const rules = one({ count: '*', gte: 1 });

describe('track: invalid events throw SegletError("invalid_event") and change nothing', () => {
  const badTypes = ['', 'Page_View', 'page view', 'a'.repeat(65), '*', 'é', 'a/b', 'x\n'];
  it.each(badTypes)('bad type %j', (type) => {
    const h = harness(rules);
    expectCode(() => h.engine.track(type), 'invalid_event');
    expect(h.engine.events()).toEqual([]);
    expect(h.engine.has('s')).toBe(false);
  });

  it('accepts the whole type alphabet and 64 characters', () => {
    const h = harness(rules);
    expect(h.engine.track('a.b:c-d_0')).toEqual([ch('s', true, T0)]);
    h.engine.track('a'.repeat(64));
    expect(h.engine.events()).toHaveLength(2);
  });

  const badProps: [string, () => Record<string, PropValue>][] = [
    ['__proto__ key', () => JSON.parse('{"__proto__": 1}') as Record<string, PropValue>],
    ['__proto__ key with object', () => JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, PropValue>],
    ['constructor key', () => ({ constructor: 'x' })],
    ['prototype key', () => ({ prototype: 'x' })],
    ['bad key characters', () => ({ 'a b': 1 })],
    ['empty key', () => ({ '': 1 })],
    ['65-character key', () => ({ ['k'.repeat(65)]: 1 })],
    ['nested object', () => ({ a: { b: 1 } } as unknown as Record<string, PropValue>)],
    ['object in array', () => ({ a: [{ b: 1 }] } as unknown as Record<string, PropValue>)],
    ['nested array', () => ({ a: [[1]] } as unknown as Record<string, PropValue>)],
    ['NaN', () => ({ a: NaN })],
    ['Infinity', () => ({ a: Infinity })],
    ['-Infinity', () => ({ a: -Infinity })],
    ['NaN in array', () => ({ a: [1, NaN] })],
    ['function value', () => ({ a: (() => 1) as unknown as PropValue })],
    ['513-character string', () => ({ a: 'x'.repeat(513) })],
    ['513 UTF-16 code units', () => ({ a: '😀'.repeat(256) + 'x' })],
    ['long string in array', () => ({ a: ['x'.repeat(513)] })],
    ['33-element array', () => ({ a: Array.from({ length: 33 }, (_, i) => i) })],
    ['33 props', () => Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i]))],
    ['props not an object', () => 'nope' as unknown as Record<string, PropValue>],
    ['props an array', () => [1, 2] as unknown as Record<string, PropValue>],
  ];
  it.each(badProps)('%s', (_name, make) => {
    const h = harness(rules);
    expectCode(() => h.engine.track('x', make()), 'invalid_event');
    expect(h.engine.events()).toEqual([]);
    expect(h.engine.has('s')).toBe(false);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('accepts the limits exactly: 512-unit strings, 32-element arrays, 32 props, null and booleans', () => {
    const h = harness(rules);
    const props: Record<string, PropValue> = Object.fromEntries(Array.from({ length: 29 }, (_, i) => [`k${i}`, i]));
    props['s'] = '😀'.repeat(256);
    props['arr'] = Array.from({ length: 32 }, (_, i) => (i % 2 ? null : true));
    props['e'] = [];
    expect(h.engine.track('x', props)).toEqual([ch('s', true, T0)]);
    expect(h.engine.events()[0]?.props).toEqual(props);
  });

  it('a key set to undefined is absent, as JSON would write it: in props, context and traits', () => {
    const h = harness(rules);
    expect(h.engine.track('x', { a: 1, price: undefined } as unknown as Record<string, PropValue>)).toEqual([ch('s', true, T0)]);
    expect(h.engine.events()[0]?.props).toEqual({ a: 1 });
    expect(Object.keys(h.engine.events()[0]?.props ?? {})).toEqual(['a']);
    // Merged like any other call: undefined changes nothing, where null removes the key.
    const c = harness(one({ all: [{ context: 'country', eq: 'FR' }, { trait: 'plan', eq: 'pro' }] }));
    c.engine.setContext({ country: 'FR' });
    c.engine.identify('u1', { plan: 'pro' });
    expect(c.engine.setContext({ country: undefined } as unknown as Record<string, PropValue>)).toEqual([]);
    expect(c.engine.identify('u1', { plan: undefined } as unknown as Record<string, PropValue>)).toEqual([]);
    expect(c.engine.has('s')).toBe(true);
    expectCode(() => h.engine.track('x', { a: [1, undefined] } as unknown as Record<string, PropValue>), 'invalid_event');
    // Absent, it neither counts toward the 32 keys nor has its name checked (JSON of either is a valid event).
    const full: Record<string, unknown> = Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`k${i}`, i]));
    full['price'] = undefined;
    expect(() => h.engine.track('x', full as Record<string, PropValue>)).not.toThrow();
    expect(() => h.engine.track('x', { 'bad key': undefined, a: 1 } as unknown as Record<string, PropValue>)).not.toThrow();
    full['k32'] = 32;
    const err = expectCode(() => h.engine.track('x', full as Record<string, PropValue>), 'invalid_event');
    expect(err.issues?.[0]).toEqual({ path: '/props', message: '33 keys; at most 32' });
  });

  it('keys and types already accepted are remembered, yet a good key is not a good type and bad names stay bad past the memory cap', () => {
    const h = harness(rules);
    h.engine.track('x', { Page_View: 1 });
    expectCode(() => h.engine.track('Page_View'), 'invalid_event');
    for (let i = 0; i < 600; i++) h.engine.track(`t${i}`, { [`k${i}`]: i });
    expect(h.engine.track('t599', { k599: 1, late_key: 2 })).toEqual([]);
    expectCode(() => h.engine.track('x', JSON.parse('{"__proto__": 1}') as Record<string, PropValue>), 'invalid_event');
    expectCode(() => h.engine.track('x', { 'a b': 1 }), 'invalid_event');
    expectCode(() => h.engine.track('Bad'), 'invalid_event');
    // Types that passed are remembered too: only that very string, not a value that prints as it.
    expectCode(() => h.engine.track(['x'] as never), 'invalid_event');
    expectCode(() => h.engine.track(new String('x') as never), 'invalid_event');
    expect(h.engine.events()).toHaveLength(602);
  });

  it('a type that JSON cannot write (a cycle, a BigInt) is still invalid_event, not a TypeError', () => {
    const h = harness(rules);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const type of [cyclic, 10n, Symbol('x'), null, undefined, () => 1]) {
      expect(expectCode(() => h.engine.track(type as never), 'invalid_event').message).toMatch(/\/type: (a \w+|null) is not an event type/);
    }
    expect(h.engine.events()).toEqual([]);
  });

  it('messages quote long strings without splitting a character in two', () => {
    const h = harness(rules);
    const type = `${'a'.repeat(79)}😀`;
    expect(expectCode(() => h.engine.track(type), 'invalid_event').message).toContain(`"${'a'.repeat(79)}"`);
    const key = `${'K'.repeat(79)}😀`;
    expect(expectCode(() => h.engine.track('x', { [key]: 1 }), 'invalid_event').message).toContain(`"${'K'.repeat(79)}"`);
  });

  it('invalid_event carries JSON-pointer issues into the event', () => {
    const h = harness(rules);
    const err = expectCode(() => h.engine.track('x', { a: NaN, b: [1, Infinity], ok: 1 }), 'invalid_event');
    expect(err.issues?.map((i) => i.path)).toEqual(['/props/a', '/props/b/1']);
    expect(expectCode(() => h.engine.track('Bad'), 'invalid_event').issues?.[0]?.path).toBe('/type');
  });

  it('rejects a non-finite or non-numeric t', () => {
    const h = harness(rules);
    expectCode(() => h.engine.track('x', {}, { t: NaN }), 'invalid_event');
    expectCode(() => h.engine.track('x', {}, { t: Infinity }), 'invalid_event');
    expectCode(() => h.engine.track('x', {}, { t: '5' as unknown as number }), 'invalid_event');
    expect(h.engine.events()).toEqual([]);
  });

  it('unsubscribing removes that registration only: a function subscribed twice keeps the other', () => {
    const h = harness(one({ count: 'x', gte: 1 }));
    const seen: string[] = [];
    const listener = (c: Change): void => { seen.push(c.segment); };
    h.engine.subscribe(listener);
    const second = h.engine.subscribe(listener);
    h.engine.track('x');
    second();
    second();
    h.engine.setRules(ruleSet({ s: { when: { count: 'x', gte: 2 } } }));
    expect(seen).toEqual(['s', 's', 's']);
  });

  it('a listener subscribed by a callback skips the rest of that change list, as an on() handler does', () => {
    const h = harness(ruleSet({ a: { when: { count: 'x', gte: 1 } }, b: { when: { count: 'x', gte: 1 } } }));
    const late: string[] = [];
    let once = true;
    h.engine.subscribe(() => {
      if (once) h.engine.subscribe((c) => late.push(`${c.segment}:${c.member}`));
      once = false;
    });
    h.engine.track('x');
    expect(late).toEqual([]);
    h.engine.setRules(ruleSet({ a: { when: { count: 'x', gte: 2 } }, b: { when: { count: 'x', gte: 1 } } }));
    expect(late).toEqual(['a:false']);
  });

  it('a valid event never writes to Object.prototype, and stored props do not alias the caller object', () => {
    const h = harness(rules);
    const props: Record<string, PropValue> = { hasOwnProperty: 1, toString: 'x', valueOf: [1], tags: ['a'] };
    h.engine.track('x', props);
    (props['tags'] as PropValue[]).push('b');
    props['toString'] = 'changed';
    expect(h.engine.events()[0]?.props).toEqual({ hasOwnProperty: 1, toString: 'x', valueOf: [1], tags: ['a'] });
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'tags')).toBe(false);
    expect(typeof ({}).toString).toBe('function');
  });
});

describe('on() and subscribe()', () => {
  it('an id that is a Symbol is an unknown segment for on() and explain(), not a TypeError', () => {
    const e = createEngine({ rules: one({ count: 'x', gte: 1 }), now: () => T0 });
    const id = Symbol('s') as unknown as string;
    expect(() => e.on(id, () => {})).toThrow('seglet: unknown segment "Symbol(s)"');
    expect(expectCode(() => e.explain(id), 'unknown_segment').message).toBe('seglet: unknown segment "Symbol(s)"');
  });

  it('on() fires enter at once for a current member and returns an unsubscribe function', () => {
    const h = harness(one({ count: 'x', within: '1h', gte: 1 }));
    trackAt(h, T0, 'x');
    const enter = vi.fn<(c: Change) => void>();
    const exit = vi.fn<(c: Change) => void>();
    const off = h.engine.on('s', enter, exit);
    expect(enter).toHaveBeenCalledTimes(1);
    expect(enter).toHaveBeenCalledWith(ch('s', true, T0));
    h.clock.set(T0 + 3600_000);
    h.engine.tick();
    expect(exit).toHaveBeenCalledWith(ch('s', false, T0 + 3600_000));
    off();
    trackAt(h, T0 + 3600_001, 'x');
    expect(enter).toHaveBeenCalledTimes(1);
  });

  it('on() does not fire for a non-member; enter and exit follow changes', () => {
    const h = harness(one({ count: 'x', within: '1h', gte: 1 }));
    const calls: string[] = [];
    h.engine.on('s', (c) => calls.push(`enter@${c.t}`), (c) => calls.push(`exit@${c.t}`));
    expect(calls).toEqual([]);
    trackAt(h, T0 + 1, 'x');
    h.clock.set(T0 + 2 * 3600_000);
    h.engine.tick();
    expect(calls).toEqual([`enter@${T0 + 1}`, `exit@${T0 + 1 + 3600_000}`]);
  });

  it('on() with an unknown id throws SegletError("unknown_segment")', () => {
    const h = harness(rules);
    expectCode(() => h.engine.on('nope', () => undefined), 'unknown_segment');
  });

  it('subscribe listeners first, then on handlers, each in registration order, change by change', () => {
    const h = harness(ruleSet({ a: { count: 'x', gte: 1 }, b: { count: 'x', gte: 1 } }));
    const calls: string[] = [];
    h.engine.on('b', (c) => calls.push(`on1:${c.segment}`));
    h.engine.subscribe((c) => calls.push(`sub1:${c.segment}`));
    h.engine.on('a', (c) => calls.push(`on2:${c.segment}`));
    h.engine.on('b', (c) => calls.push(`on3:${c.segment}`));
    h.engine.subscribe((c) => calls.push(`sub2:${c.segment}`));
    trackAt(h, T0, 'x');
    expect(calls).toEqual(['sub1:a', 'sub2:a', 'on2:a', 'sub1:b', 'sub2:b', 'on1:b', 'on3:b']);
  });

  it('callbacks run after the state is fully updated', () => {
    const h = harness(ruleSet({ a: { count: 'x', gte: 1 }, b: { count: 'x', gte: 1 } }));
    const seen: string[][] = [];
    h.engine.subscribe(() => seen.push(h.engine.members()));
    trackAt(h, T0, 'x');
    expect(seen).toEqual([['a', 'b'], ['a', 'b']]);
  });

  it('subscribe returns an unsubscribe function', () => {
    const h = harness(rules);
    const got: Change[] = [];
    const off = h.engine.subscribe((c) => got.push(c));
    off();
    trackAt(h, T0, 'x');
    expect(got).toEqual([]);
  });

  it('a throwing callback does not stop the others and reaches onError as callback_failed with cause', () => {
    const errors: SegletError[] = [];
    const h = harness(ruleSet({ a: { count: 'x', gte: 1 }, b: { count: 'x', gte: 1 } }), { onError: (e) => errors.push(e) });
    const boom = new Error('boom');
    const calls: string[] = [];
    h.engine.subscribe((c) => {
      calls.push(`s1:${c.segment}`);
      throw boom;
    });
    h.engine.on('a', () => {
      calls.push('on:a');
      throw boom;
    });
    h.engine.on('b', () => calls.push('on:b'));
    expect(trackAt(h, T0, 'x')).toEqual([ch('a', true, T0), ch('b', true, T0)]);
    expect(calls).toEqual(['s1:a', 'on:a', 's1:b', 'on:b']);
    expect(errors).toHaveLength(3);
    for (const e of errors) {
      expect(e).toBeInstanceOf(SegletError);
      expect(e.code).toBe('callback_failed');
      expect(e.cause).toBe(boom);
    }
  });

  it('a callback that throws a value without text does not stop the others: callback_failed with a fallback message', () => {
    const errors: SegletError[] = [];
    const h = harness(rules, { onError: (e) => errors.push(e) });
    const bare = Object.create(null) as object;
    const hostile = Object.defineProperty({}, 'message', { get: (): never => { throw new Error('no'); } });
    const calls: string[] = [];
    h.engine.subscribe(() => { throw bare; });
    h.engine.subscribe(() => { throw hostile; });
    h.engine.on('s', () => calls.push('on:s'));
    expect(trackAt(h, T0, 'x')).toEqual([ch('s', true, T0)]);
    expect(calls).toEqual(['on:s']);
    expect(errors.map((e) => [e.code, e.message, e.cause])).toEqual([
      ['callback_failed', 'seglet: a callback for "s" threw: a value without text', bare],
      ['callback_failed', 'seglet: a callback for "s" threw: a value without text', hostile],
    ]);
  });

  it('an on() enter fired at registration that throws also goes to onError', () => {
    const errors: SegletError[] = [];
    const h = harness(rules, { onError: (e) => errors.push(e) });
    trackAt(h, T0, 'x');
    expect(() => h.engine.on('s', () => { throw new Error('x'); })).not.toThrow();
    expect(errors.map((e) => e.code)).toEqual(['callback_failed']);
  });

  describe('without onError', () => {
    afterEach(() => vi.restoreAllMocks());

    it('a callback error is rethrown (as the SegletError) in a microtask, not synchronously', () => {
      const h = harness(rules);
      const boom = new Error('boom');
      h.engine.subscribe(() => {
        throw boom;
      });
      const after = vi.fn();
      h.engine.subscribe(after);
      const queued: (() => void)[] = [];
      const spy = vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((fn) => {
        queued.push(fn);
      });
      let changes: Change[] = [];
      expect(() => (changes = trackAt(h, T0, 'x'))).not.toThrow();
      spy.mockRestore();
      expect(changes).toEqual([ch('s', true, T0)]);
      expect(after).toHaveBeenCalledTimes(1);
      expect(queued.length).toBeGreaterThanOrEqual(1);
      let rethrown: unknown;
      for (const fn of queued) {
        try {
          fn();
        } catch (e) {
          rethrown = e;
        }
      }
      expect(rethrown).toBeInstanceOf(SegletError);
      expect((rethrown as SegletError).code).toBe('callback_failed');
      expect((rethrown as SegletError).cause).toBe(boom);
    });

    it('invalid restored events without onError do not make createEngine throw; each is rethrown in a microtask', () => {
      const queued: (() => void)[] = [];
      const spy = vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((fn) => {
        queued.push(fn);
      });
      let engine: ReturnType<typeof createEngine> | undefined;
      try {
        engine = createEngine({ rules, now: () => T0, timeZone: 'UTC', events: [{ type: 'Bad' }, { type: 'x', t: T0 }, { type: 'x', props: { a: NaN } }] });
      } finally {
        spy.mockRestore();
      }
      expect(engine?.events()).toHaveLength(1);
      const codes: string[] = [];
      for (const fn of queued) {
        try {
          fn();
        } catch (e) {
          expect(e).toBeInstanceOf(SegletError);
          codes.push((e as SegletError).code);
        }
      }
      expect(codes).toEqual(['invalid_event', 'invalid_event']);
    });
  });
});

describe('re-entrancy', () => {
  it('a call from inside a callback returns [] and is processed after the current change list', () => {
    const h = harness(ruleSet({ a: { count: 'x', gte: 1 }, b: { count: 'y', gte: 1 }, c: { count: 'x', gte: 1 } }));
    const calls: string[] = [];
    const inner: Change[][] = [];
    h.engine.subscribe((c) => {
      calls.push(`l1:${c.segment}:${c.member}`);
      if (c.segment === 'a' && c.member) inner.push(h.engine.track('y'));
    });
    h.engine.subscribe((c) => calls.push(`l2:${c.segment}:${c.member}`));
    const outer = trackAt(h, T0, 'x');
    expect(outer).toEqual([ch('a', true, T0), ch('c', true, T0)]);
    expect(inner).toEqual([[]]);
    expect(calls).toEqual(['l1:a:true', 'l2:a:true', 'l1:c:true', 'l2:c:true', 'l1:b:true', 'l2:b:true']);
    expect(h.engine.members()).toEqual(['a', 'b', 'c']);
    expect(h.engine.events().map((e) => e.type)).toEqual(['x', 'y']);
  });

  it('on() registered from a callback gets no exit, from the rest of the list, for a membership it was never told of', () => {
    const h = harness(ruleSet({ a: { count: 'y', lt: 1 }, b: { count: 'y', lt: 1 } }));
    const seen: string[] = [];
    h.engine.on('a', () => seen.push('a+'), () => {
      seen.push('a-');
      h.engine.on('b', () => seen.push('b+'), () => seen.push('b-'));
    });
    trackAt(h, T0, 'y');
    expect(seen).toEqual(['a+', 'a-']);
  });

  it('on() registered from an exit callback gets no enter for a segment entered later in the same list (it is called at once instead)', () => {
    const h = harness(ruleSet({ a: { count: 'y', lt: 1 }, b: { count: 'y', gte: 1 } }));
    const seen: string[] = [];
    h.engine.on('a', () => seen.push('a+'), () => {
      seen.push('a-');
      h.engine.on('b', () => seen.push('b+'));
    });
    trackAt(h, T0, 'y');
    expect(seen).toEqual(['a+', 'a-', 'b+']);
  });

  it("a call from on()'s immediate enter callback is re-entrant too: it returns [] and runs afterwards", () => {
    const h = harness(ruleSet({ a: { count: 'x', gte: 1 }, b: { count: 'y', gte: 1 } }));
    trackAt(h, T0, 'x');
    const inner: Change[][] = [];
    const seen: string[] = [];
    h.engine.on('a', () => {
      inner.push(h.engine.track('y'));
      seen.push(h.engine.members().join(','));
    });
    expect(inner).toEqual([[]]);
    expect(seen).toEqual(['a']);
    expect(h.engine.members()).toEqual(['a', 'b']);
    expect(h.log).toEqual([ch('a', true, T0), ch('b', true, T0)]);
  });

  it('re-entrant identify/setContext/tick also return [] and run afterwards', () => {
    const h = harness(ruleSet({ a: { count: 'x', gte: 1 }, pro: { trait: 'plan', eq: 'pro' }, m: { context: 'device', eq: 'mobile' } }));
    const returned: unknown[] = [];
    const log: string[] = [];
    h.engine.subscribe((c) => {
      log.push(c.segment);
      if (c.segment === 'a') {
        returned.push(h.engine.identify('u', { plan: 'pro' }), h.engine.setContext({ device: 'mobile' }), h.engine.tick());
        log.push(`members:${h.engine.members().join(',')}`);
      }
    });
    expect(trackAt(h, T0, 'x')).toEqual([ch('a', true, T0)]);
    expect(returned).toEqual([[], [], []]);
    expect(log).toEqual(['a', 'members:a', 'pro', 'm']);
  });
});

describe('createEngine options', () => {
  it('no options, or rules that are not an object, throw invalid_rules with a plain message', () => {
    for (const make of [() => (createEngine as (o?: unknown) => unknown)(), () => createEngine({ rules: 'x' as never })]) {
      const err = expectCode(make, 'invalid_rules');
      expect(err.message).toMatch(/^seglet: invalid rule set: a rule set must be/);
    }
  });

  it('a clock that gives no time: invalid_option at creation, standing still afterwards', () => {
    // Past Date's range (a clock in nanoseconds, MAX_SAFE_INTEGER as a far future) no hour exists.
    for (const bad of [NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER, 8.64e15 + 1, 1.7e18, -8.64e15 - 1]) {
      const err = expectCode(() => createEngine({ rules, now: () => bad }), 'invalid_option');
      expect(err.issues).toEqual([{ path: '/now', message: 'must return a time in ms (within the range of Date)' }]);
    }
    expect(createEngine({ rules, now: () => 8.64e15 }).nextChange()).toBeNull();
    let clock: number = T0;
    const e = createEngine({ rules: one({ count: 'x', within: '1m', gte: 1 }), now: () => clock, timeZone: 'UTC' });
    e.track('x');
    for (const bad of [NaN, Infinity]) {
      clock = bad;
      expect(e.track('x')).toEqual([]);
      expect(e.tick()).toEqual([]);
    }
    expect(e.events().map((x) => x.t)).toEqual([T0, T0, T0]);
    clock = T0 + 60_000;
    expect(e.tick()).toEqual([ch('s', false, T0 + 60_000)]);
  });

  it('a clock that returns a BigInt or a Symbol: invalid_option at creation, standing still afterwards, as NaN', () => {
    for (const bad of [BigInt(T0), Symbol('t')]) {
      const err = expectCode(() => createEngine({ rules, now: () => bad as never }), 'invalid_option');
      expect(err.issues).toEqual([{ path: '/now', message: 'must return a time in ms (within the range of Date)' }]);
    }
    let clock: unknown = T0;
    const e = createEngine({ rules: one({ count: 'x', within: '1m', gte: 1 }), now: () => clock as number });
    e.track('x');
    for (const bad of [BigInt(T0 + 60_000), Symbol('t')]) {
      clock = bad;
      expect(e.track('x')).toEqual([]);
      expect(e.tick()).toEqual([]);
    }
    expect(e.events().map((x) => x.t)).toEqual([T0, T0, T0]);
    clock = new Date(T0 + 60_000);
    expect(e.tick()).toEqual([ch('s', false, T0 + 60_000)]);
  });

  it('a clock that runs past Date\'s range stands still, also for hour rules (the scheduler never spins)', () => {
    let clock: number = T0;
    const e = createEngine({ rules: one({ context: 'hour', gte: 0 }), now: () => clock });
    expect(e.members()).toEqual(['s']);
    const next = e.nextChange();
    clock = Number.MAX_SAFE_INTEGER;
    expect(e.tick()).toEqual([]);
    expect(e.nextChange()).toBe(next);
    expect(e.track('x')).toEqual([]);
    expect(e.events().map((x) => x.t)).toEqual([T0]);
  });

  it('invalid rules throw SegletError("invalid_rules") with issues', () => {
    const err = expectCode(() => createEngine({ rules: { version: 2, segments: {} } as never }), 'invalid_rules');
    expect(err.issues?.length).toBeGreaterThan(0);
  });

  it('invalid_rules carries the same issues as validateRules, all at once', () => {
    const input = { version: 1, segments: { 'Bad Id': { when: { count: 'x' } }, ok: { when: { count: 'x', gte: 1, within: '24hours' } } } };
    const v = validateRules(input);
    expect(v.ok).toBe(false);
    const err = expectCode(() => createEngine({ rules: input as never }), 'invalid_rules');
    expect(err.issues).toEqual(v.ok ? [] : v.errors);
    expect(err.issues!.length).toBeGreaterThanOrEqual(3);
  });

  it('validation warnings do not stop createEngine (a window longer than retain.for)', () => {
    const r = one({ count: 'x', within: '120d', gte: 1 }, {}, { retain: { for: '90d' } });
    const v = validateRules(r);
    expect(v.ok && v.warnings.length).toBeGreaterThan(0);
    expect(() => createEngine({ rules: r, now: () => T0, timeZone: 'UTC' })).not.toThrow();
  });

  it('an unknown timeZone throws SegletError("invalid_option")', () => {
    expectCode(() => createEngine({ rules, timeZone: 'Mars/Olympus_Mons' }), 'invalid_option');
  });

  it('an anonymousId or userId that is not a string, a now or onError that is not a function, throws SegletError("invalid_option")', () => {
    for (const bad of [{ anonymousId: 7 }, { userId: 7 }, { anonymousId: {} }, { now: 5 }, { onError: 'log' }]) {
      expect(expectCode(() => createEngine({ rules, ...(bad as object) }), 'invalid_option').issues?.[0]?.path).toBe(`/${Object.keys(bad)[0]}`);
    }
    // null reads as not given
    expect(createEngine({ rules, userId: null as never, anonymousId: null as never }).userId).toBeNull();
  });

  it('events that are not an array throw SegletError("invalid_option") at /events', () => {
    for (const events of [{}, 'page_view', { length: 1, 0: { type: 'x' } }]) {
      expectCode(() => createEngine({ rules, events: events as never }), 'invalid_option');
    }
    expect(() => createEngine({ rules, events: {} as never })).toThrow(expect.objectContaining({ issues: [{ path: '/events', message: 'must be an array of events' }] }));
  });

  it('the default anonymousId is random and stable for the engine', () => {
    const a = createEngine({ rules });
    const b = createEngine({ rules });
    expect(typeof a.anonymousId).toBe('string');
    expect(a.anonymousId.length).toBeGreaterThan(0);
    expect(a.anonymousId).toBe(a.anonymousId);
    expect(a.anonymousId).not.toBe(b.anonymousId);
  });

  it('fractional now() and t are floored', () => {
    const clock = fakeClock(T0 + 0.9);
    const e = createEngine({ rules: one({ count: 'x', within: 10, gte: 1 }), now: clock.now, timeZone: 'UTC' });
    expect(e.track('x')).toEqual([ch('s', true, T0)]);
    clock.set(T0 + 5.5);
    e.track('x', {}, { t: T0 + 2.7 });
    expect(e.events().map((x) => x.t)).toEqual([T0, T0 + 2]);
    clock.set(T0 + 12.9999);
    // floor(now) = T0+12: the T0+2 event leaves the 10ms window at exactly T0+12
    expect(e.tick()).toEqual([ch('s', false, T0 + 12)]);
    expect(Number.isInteger(e.nextChange() ?? 0)).toBe(true);
  });
});
