import { describe, expect, it } from 'vitest';
import { ch, expectFlipAt, harness, ruleSet, tickAt, trackAt } from '../helpers/setup.js';
import { HOUR, MIN, T0 } from '../helpers/fakeClock.js';

const cart = ruleSet({ abandoner: { abandoned: 'add_to_cart', unless: 'purchase', after: '30m' } });

describe('abandoned', () => {
  it('is false with no matching event', () => {
    const h = harness(cart);
    expect(h.engine.members()).toEqual([]);
    expect(h.engine.nextChange()).toBeNull();
  });

  it('becomes true at exactly A.t + after', () => {
    const h = harness(cart);
    expect(trackAt(h, T0, 'add_to_cart')).toEqual([]);
    expectFlipAt(h, 'abandoner', T0 + 30 * MIN, true);
  });

  it('a second add restarts the clock; a purchase ends it', () => {
    const h = harness(cart);
    trackAt(h, T0, 'add_to_cart');
    trackAt(h, T0 + 10 * MIN, 'add_to_cart');
    expect(tickAt(h, T0 + 30 * MIN)).toEqual([]);
    expectFlipAt(h, 'abandoner', T0 + 40 * MIN, true);
    expect(trackAt(h, T0 + 50 * MIN, 'purchase')).toEqual([ch('abandoner', false, T0 + 50 * MIN)]);
    expect(tickAt(h, T0 + 10 * HOUR)).toEqual([]);
    // a new add after the purchase starts a new clock
    trackAt(h, T0 + 11 * HOUR, 'add_to_cart');
    expectFlipAt(h, 'abandoner', T0 + 11 * HOUR + 30 * MIN, true);
  });

  it('a purchase before the add does not cancel it; one at the same t does (t >= A.t)', () => {
    const h = harness(cart);
    trackAt(h, T0, 'purchase');
    trackAt(h, T0 + MIN, 'add_to_cart');
    expectFlipAt(h, 'abandoner', T0 + 31 * MIN, true);

    const g = harness(cart);
    g.clock.set(T0 + MIN);
    g.engine.track('purchase', {}, { t: T0 });
    g.engine.track('add_to_cart', {}, { t: T0 });
    expect(tickAt(g, T0 + 5 * HOUR)).toEqual([]);
    expect(g.engine.has('abandoner')).toBe(false);
  });

  it('a late unless event with t >= A.t ends it when processed', () => {
    const h = harness(cart);
    trackAt(h, T0, 'add_to_cart');
    expect(tickAt(h, T0 + HOUR)).toEqual([ch('abandoner', true, T0 + 30 * MIN)]);
    h.clock.set(T0 + 2 * HOUR);
    expect(h.engine.track('purchase', {}, { t: T0 + 5 * MIN })).toEqual([ch('abandoner', false, T0 + 2 * HOUR)]);
    h.clock.set(T0 + 2 * HOUR + 1);
    expect(h.engine.track('purchase', {}, { t: T0 - 5 * MIN })).toEqual([]);
  });

  it('unless with where', () => {
    const h = harness(ruleSet({
      a: { abandoned: 'begin_checkout', unless: { event: 'purchase', where: { value: { gt: 0 } } }, after: '1h' },
    }));
    trackAt(h, T0, 'begin_checkout');
    trackAt(h, T0 + MIN, 'purchase', { value: 0 });
    expectFlipAt(h, 'a', T0 + HOUR, true);
    expect(trackAt(h, T0 + 2 * HOUR, 'purchase', { value: 10 })).toEqual([ch('a', false, T0 + 2 * HOUR)]);
  });

  it('where on the abandoned event', () => {
    const h = harness(ruleSet({ a: { abandoned: 'add_to_cart', where: { item_category: 'shoes' }, unless: 'purchase', after: '10m' } }));
    trackAt(h, T0, 'add_to_cart', { item_category: 'hats' });
    expect(tickAt(h, T0 + HOUR)).toEqual([]);
    trackAt(h, T0 + HOUR, 'add_to_cart', { item_category: 'shoes' });
    // a later non-matching add does not restart the clock
    trackAt(h, T0 + HOUR + 5 * MIN, 'add_to_cart', { item_category: 'hats' });
    expectFlipAt(h, 'a', T0 + HOUR + 10 * MIN, true);
  });

  it('within: A must lie in the window, so it turns false at exactly A.t + within', () => {
    const h = harness(ruleSet({ a: { abandoned: 'add_to_cart', unless: 'purchase', after: '30m', within: '2h' } }));
    trackAt(h, T0, 'add_to_cart');
    expectFlipAt(h, 'a', T0 + 30 * MIN, true);
    expectFlipAt(h, 'a', T0 + 2 * HOUR, false);
  });
});
