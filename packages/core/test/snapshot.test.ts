import { describe, expect, it } from 'vitest';
import { createEngine, SegletError, validateRules } from '../src/index.js';
import type { RuleSet } from '../src/index.js';

const getter = <T extends object>(o: T, key: string, get: () => unknown): T => Object.defineProperty(o, key, { enumerable: true, get });
const boom = (): never => { throw new TypeError('boom'); };
const rules = (when: unknown): RuleSet => ({ version: 1, segments: { s: { when } } }) as unknown as RuleSet;
const unread = (path: string) => ({ ok: false, errors: [{ path, message: 'could not be read' }] });
const revoked = (): object => {
  const p = Proxy.revocable({}, {});
  p.revoke();
  return p.proxy;
};

describe('validateRules: values that cannot be read', () => {
  it.each([
    ['a throwing getter', rules(getter({ count: 'x' }, 'gte', boom)), '/segments/s/when/gte'],
    ['a Proxy whose ownKeys throws', rules(new Proxy({}, { ownKeys: boom })), '/segments/s/when'],
    ['a Proxy whose getPrototypeOf throws', rules({ count: 'x', gte: 1, where: new Proxy({}, { getPrototypeOf: boom }) }), '/segments/s/when/where'],
    ['a revoked Proxy', rules(revoked()), '/segments/s/when'],
    ['a revoked Proxy as the rule set', revoked(), ''],
    ['an array element behind a throwing getter', rules({ count: 'x', gte: 1, where: { p: { in: getter(['a'], '0', boom) } } }), '/segments/s/when/where/p/in/0'],
  ])('reports %s at its path and throws nothing', (_name, input, path) => {
    expect(validateRules(input)).toEqual(unread(path));
  });

  it('createEngine and setRules throw invalid_rules with the issue', () => {
    const bad = rules(getter({ count: 'x' }, 'gte', boom));
    const codeOf = (fn: () => unknown): unknown => {
      try { fn(); } catch (e) { return e instanceof SegletError ? [e.code, e.issues] : e; }
    };
    const issues = [{ path: '/segments/s/when/gte', message: 'could not be read' }];
    expect(codeOf(() => createEngine({ rules: bad, now: () => 1 }))).toEqual(['invalid_rules', issues]);
    const engine = createEngine({ rules: rules({ count: 'x', gte: 1 }), now: () => 1 });
    expect(codeOf(() => engine.setRules(bad))).toEqual(['invalid_rules', issues]);
  });
});

describe('validateRules reads one copy: the validated rule set is what runs', () => {
  it('a getter is read once, so it cannot give validation one value and the engine another', () => {
    let reads = 0;
    const input = getter({ version: 1 }, 'segments', () => (reads++ ? { s: { when: { count: 5 } } } : { s: { when: { count: 'x', gte: 1 } } }));
    const engine = createEngine({ rules: input as RuleSet, now: () => 1 });
    expect(reads).toBe(1);
    expect(engine.explain('s').condition.text).toBe('count of x = 0; needs gte 1');
  });

  it('mutating the rules after createEngine or setRules changes nothing', () => {
    const given = rules({ count: 'x', where: { p: { in: ['a'] } }, gte: 1 });
    const engine = createEngine({ rules: given, now: () => 1 });
    const inList = (given.segments.s as unknown as { when: { where: { p: { in: string[] } } } }).when.where.p.in;
    inList.push('b');
    expect(engine.track('x', { p: 'b' })).toEqual([]);
    expect(engine.setRules(given)).toEqual([{ segment: 's', member: true, t: 1 }]);
    inList.push('c');
    engine.track('x', { p: 'c' });
    expect(engine.explain('s').condition.value).toBe(1);
  });

  it('returns the copy, equal to the input; values that are not JSON are kept and reported at their path', () => {
    const given = rules({ count: 'x', gte: 1 });
    const result = validateRules(given);
    expect(result).toEqual({ ok: true, rules: given, warnings: [] });
    expect((result as { rules: unknown }).rules).not.toBe(given);
    expect(validateRules(rules({ count: 'x', gte: new Date(0) }))).toEqual({
      ok: false, errors: [{ path: '/segments/s/when/gte', message: expect.stringContaining('got an object') as string }],
    });
  });

  it('keeps shared objects shared, and stops copying deeper than any valid rule set goes', () => {
    const shared = { count: 'x', gte: 1 };
    expect(validateRules(rules({ all: [shared, shared] })).ok).toBe(true);
    let deep: unknown = {};
    for (let i = 0; i < 200_000; i++) deep = { not: deep };
    expect(validateRules(rules(deep)).ok).toBe(false);
  });
});
