import { test, expect } from 'vitest';
import { createEngine } from '../src/index.js';
test('smoke', () => {
  let now = 1_000_000;
  const e = createEngine({ now: () => now, timeZone: 'UTC', rules: { version: 1, segments: {
    hi: { when: { count: 'page_view', where: { path: { prefix: '/product/' } }, within: '24h', gte: 3 } },
    cart: { when: { abandoned: 'add_to_cart', unless: 'purchase', after: '30m' } },
  } } });
  const log: unknown[] = [];
  e.subscribe((c) => log.push(c));
  for (let i = 0; i < 3; i++) { e.track('page_view', { path: '/product/' + i }); now += 1000; }
  expect(e.members()).toEqual(['hi']);
  const nc = e.nextChange()!;
  expect(nc).toBe(1_000_000 + 86_400_000);
  e.track('add_to_cart', {});
  now += 30 * 60_000;
  expect(e.nextChange()).toBe(now);
  expect(e.tick()).toEqual([{ segment: 'cart', member: true, t: now }]);
  now = nc; e.tick();
  expect(e.members()).toEqual(['cart']);
  expect(log).toHaveLength(3);
  expect(e.explain('hi').condition.text).toContain('count of page_view');
});
