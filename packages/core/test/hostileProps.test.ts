import { describe, expect, it } from 'vitest';
import { createEngine, SegletError } from '../src/index.js';
import type { Engine, RuleSet } from '../src/index.js';

const rules = { version: 1, segments: { s: { when: { count: 'x', gte: 1 } } } } as RuleSet;
const getter = <T extends object>(o: T, key: string, get: () => unknown): T => Object.defineProperty(o, key, { enumerable: true, get });
const boom = (): never => { throw new TypeError('boom'); };
const revoked = (): object => {
  const p = Proxy.revocable({}, {});
  p.revoke();
  return p.proxy;
};

/** The code and issues of the SegletError `fn` throws (anything else thrown fails the test). */
function thrown(fn: () => unknown): [string, unknown] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SegletError);
    return [(e as SegletError).code, (e as SegletError).issues];
  }
  throw new Error('nothing thrown');
}

const unread = (code: string, path: string): [string, unknown] => [code, [{ path, message: 'could not be read' }]];

describe('props, context and traits that cannot be read', () => {
  const engine = (): Engine => createEngine({ rules, now: () => 1000 });
  const hostile: [string, () => unknown, string][] = [
    ['a throwing getter', () => getter({ a: 1 }, 'b~/', boom), '/b~0~1'],
    ['a Proxy whose ownKeys throws', () => new Proxy({}, { ownKeys: boom }), ''],
    ['a Proxy whose getPrototypeOf throws', () => new Proxy({}, { getPrototypeOf: boom }), ''],
    ['a revoked Proxy', revoked, ''],
    ['a throwing array element', () => ({ a: getter(['x', 'y'], '1', boom) }), '/a/1'],
  ];

  it.each(hostile)('track with %s throws invalid_event at its path', (_name, make, path) => {
    const e = engine();
    expect(thrown(() => e.track('x', make() as Record<string, never>))).toEqual(unread('invalid_event', `/props${path}`));
    expect(e.events()).toEqual([]);
  });

  it.each(hostile)('setContext and identify with %s throw invalid_value at its path', (_name, make, path) => {
    const e = engine();
    expect(thrown(() => e.setContext(make() as Record<string, never>))).toEqual(unread('invalid_value', `/context${path}`));
    expect(thrown(() => e.identify('u', make() as Record<string, never>))).toEqual(unread('invalid_value', `/traits${path}`));
    expect(e.userId).toBe(null);
  });

  it('track with options whose t cannot be read throws invalid_event at /t', () => {
    const e = engine();
    expect(thrown(() => e.track('x', {}, getter({}, 't', boom)))).toEqual(unread('invalid_event', '/t'));
    expect(thrown(() => e.track('x', {}, revoked()))).toEqual(unread('invalid_event', '/t'));
  });

  it('an array element is read once: what is checked is what is stored', () => {
    const e = engine();
    let reads = 0;
    e.track('x', { a: getter(['x'], '0', () => (reads++ ? { nested: true } : 'ok')) });
    expect(e.events()[0]?.props).toEqual({ a: ['ok'] });
  });
});

describe('props that are not plain objects', () => {
  it.each([
    ['a Map', new Map([['a', 1]]), 'an object'],
    ['a Date', new Date(0), 'an object'],
    ['a class instance', new (class Item { a = 1; })(), 'an object'],
    ['an array', ['a'], 'an array'],
    ['a string', 'a', '"a"'],
  ])('%s is rejected with a message naming what was given', (_name, props, shown) => {
    const e = createEngine({ rules, now: () => 1000 });
    expect(() => e.track('x', props as never)).toThrow(`seglet: /props must be a plain object, got ${shown}`);
    expect(thrown(() => e.setContext(props as never))).toEqual(['invalid_value', [{ path: '/context', message: 'must be a plain object' }]]);
    expect(e.events()).toEqual([]);
  });

  it('an object without a prototype, or of another realm, is still props', () => {
    const e = createEngine({ rules, now: () => 1000 });
    e.track('x', Object.assign(Object.create(null) as object, { a: 1 }));
    expect(e.events()[0]?.props).toEqual({ a: 1 });
  });
});

describe('on() and subscribe() with a handler that is not a function', () => {
  it('throw invalid_option at once', () => {
    const e = createEngine({ rules, now: () => 1000 });
    const fn = (): void => {};
    expect(thrown(() => e.on('s', 5 as never))[0]).toBe('invalid_option');
    expect(thrown(() => e.on('s', fn, 'exit' as never))[0]).toBe('invalid_option');
    expect(thrown(() => e.subscribe(null as never))[0]).toBe('invalid_option');
    expect(() => e.on('s', fn, undefined)).not.toThrow();
    const errors: unknown[] = [];
    const e2 = createEngine({ rules, now: () => 1000, onError: (x) => errors.push(x) });
    expect(() => e2.on('s', {} as never)).toThrow('on() needs an enter function');
    e2.track('x');
    expect(errors).toEqual([]);
  });
});
