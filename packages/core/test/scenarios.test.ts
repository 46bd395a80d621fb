import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createEngine, validateRules } from '../src/index.js';
import type { RuleSet } from '../src/index.js';
import { ch, expectFlipAt, harness, tickAt, trackAt } from './helpers/setup.js';
import { bucketOf } from './helpers/fnv1a.js';
import { DAY, HOUR, MIN, T0 } from './helpers/fakeClock.js';

function scenario(name: string): RuleSet {
  return JSON.parse(readFileSync(new URL(`./cases/scenarios/${name}.json`, import.meta.url), 'utf8')) as RuleSet;
}

describe('scenarios (enter and exit instants on a fake clock)', () => {
  it('every scenario rule set is valid, without warnings', () => {
    const files = readdirSync(new URL('./cases/scenarios/', import.meta.url)).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(14);
    for (const f of files) {
      const v = validateRules(scenario(f.replace(/\.json$/, '')));
      expect(v, f).toMatchObject({ ok: true, warnings: [] });
    }
  });

  it('high-intent: 3 product views in 24 h, held 30 minutes', () => {
    const h = harness(scenario('high-intent'));
    trackAt(h, T0, 'page_view', { path: '/product/1' });
    trackAt(h, T0 + HOUR, 'page_view', { path: '/about' });
    trackAt(h, T0 + HOUR + 1, 'page_view', { path: '/product/2' });
    expect(trackAt(h, T0 + 2 * HOUR, 'page_view', { path: '/product/1' })).toEqual([ch('high-intent', true, T0 + 2 * HOUR)]);
    // the first view leaves the window at T0+24h; the hold keeps the member 30 minutes more
    expect(tickAt(h, T0 + 24 * HOUR)).toEqual([]);
    expectFlipAt(h, 'high-intent', T0 + 24 * HOUR + 30 * MIN, false);
    expect(h.log).toEqual([ch('high-intent', true, T0 + 2 * HOUR), ch('high-intent', false, T0 + 24 * HOUR + 30 * MIN)]);
  });

  it('rapid-browser: more than 3 product views in 10 minutes', () => {
    const h = harness(scenario('rapid-browser'));
    for (let i = 0; i < 3; i++) expect(trackAt(h, T0 + i * MIN, 'view_item', { item_id: `p${i}` })).toEqual([]);
    expect(trackAt(h, T0 + 3 * MIN, 'view_item', { item_id: 'p3' })).toEqual([ch('rapid-browser', true, T0 + 3 * MIN)]);
    expectFlipAt(h, 'rapid-browser', T0 + 10 * MIN, false);
    expect(h.log).toEqual([ch('rapid-browser', true, T0 + 3 * MIN), ch('rapid-browser', false, T0 + 10 * MIN)]);
  });

  it('cart-abandoner: 30 minutes, restarted by a second add, ended by a purchase', () => {
    const h = harness(scenario('cart-abandoner'));
    trackAt(h, T0, 'add_to_cart', { item_id: 'a' });
    trackAt(h, T0 + 20 * MIN, 'add_to_cart', { item_id: 'b' });
    expect(tickAt(h, T0 + 30 * MIN)).toEqual([]);
    expectFlipAt(h, 'cart-abandoner', T0 + 50 * MIN, true);
    expect(trackAt(h, T0 + 2 * HOUR, 'purchase', { value: 40 })).toEqual([ch('cart-abandoner', false, T0 + 2 * HOUR)]);
    expect(h.log).toEqual([ch('cart-abandoner', true, T0 + 50 * MIN), ch('cart-abandoner', false, T0 + 2 * HOUR)]);
  });

  it('engaged-session: more than 3 product pages and more than 10 minutes; a new session ends it', () => {
    const h = harness(scenario('engaged-session'));
    for (let i = 0; i < 4; i++) trackAt(h, T0 + i * 2 * MIN, 'page_view', { path: `/product/${i}` });
    expect(h.engine.has('engaged-session')).toBe(false);
    expect(trackAt(h, T0 + 10 * MIN, 'page_view', { path: '/cart' })).toEqual([]);
    expect(trackAt(h, T0 + 10 * MIN + 1, 'scroll', { path: '/cart', depth: 50 })).toEqual([ch('engaged-session', true, T0 + 10 * MIN + 1)]);
    // time alone does not end a session's metrics; the next visit (30m+ later) does
    expect(tickAt(h, T0 + 5 * HOUR)).toEqual([]);
    expect(trackAt(h, T0 + 6 * HOUR, 'page_view', { path: '/product/9' })).toEqual([ch('engaged-session', false, T0 + 6 * HOUR)]);
  });

  it('browsed-not-carted: viewed products in 48 h without adding to cart', () => {
    const h = harness(scenario('browsed-not-carted'));
    const id = 'browsed-not-carted';
    expect(trackAt(h, T0, 'view_item', { item_id: 'a' })).toEqual([ch(id, true, T0)]);
    expect(trackAt(h, T0 + HOUR, 'add_to_cart', { item_id: 'a' })).toEqual([ch(id, false, T0 + HOUR)]);
    expect(trackAt(h, T0 + 2 * HOUR, 'view_item', { item_id: 'b' })).toEqual([]);
    // the add leaves the 48 h window at T0+49h while the second view is still inside
    expectFlipAt(h, id, T0 + 49 * HOUR, true);
    expectFlipAt(h, id, T0 + 50 * HOUR, false);
  });

  it('dormant: no activity for 24 h', () => {
    const h = harness(scenario('dormant'));
    expect(h.engine.has('dormant')).toBe(false);
    trackAt(h, T0, 'page_view', { path: '/' });
    expectFlipAt(h, 'dormant', T0 + 24 * HOUR, true);
    expect(trackAt(h, T0 + 30 * HOUR, 'click', { name: 'cta' })).toEqual([ch('dormant', false, T0 + 30 * HOUR)]);
    expectFlipAt(h, 'dormant', T0 + 54 * HOUR, true);
  });

  it('frequent-buyer: more than 4 purchases in 30 days', () => {
    const h = harness(scenario('frequent-buyer'));
    for (let i = 0; i < 4; i++) expect(trackAt(h, T0 + i * DAY, 'purchase', { value: 10 })).toEqual([]);
    expect(trackAt(h, T0 + 4 * DAY, 'purchase', { value: 10 })).toEqual([ch('frequent-buyer', true, T0 + 4 * DAY)]);
    expectFlipAt(h, 'frequent-buyer', T0 + 30 * DAY, false);
  });

  it('casual-browser: fewer than 5 pages and no purchase in 60 days', () => {
    const h = harness(scenario('casual-browser'));
    const id = 'casual-browser';
    expect(trackAt(h, T0, 'page_view', { path: '/' })).toEqual([ch(id, true, T0)]);
    for (let i = 1; i < 4; i++) expect(trackAt(h, T0 + i * DAY, 'page_view', { path: '/' })).toEqual([]);
    expect(trackAt(h, T0 + 4 * DAY, 'page_view', { path: '/' })).toEqual([ch(id, false, T0 + 4 * DAY)]);
    expectFlipAt(h, id, T0 + 60 * DAY, true);
    expect(trackAt(h, T0 + 61 * DAY + HOUR, 'purchase', { value: 5 })).toEqual([ch(id, false, T0 + 61 * DAY + HOUR)]);
    expect(h.log).toEqual([ch(id, true, T0), ch(id, false, T0 + 4 * DAY), ch(id, true, T0 + 60 * DAY), ch(id, false, T0 + 61 * DAY + HOUR)]);
  });

  it('big-spender: sum of purchase value of 500 or more in 30 days (non-numeric values ignored)', () => {
    const h = harness(scenario('big-spender'));
    trackAt(h, T0, 'purchase', { value: 200, currency: 'EUR' });
    trackAt(h, T0 + DAY, 'purchase', { value: '999' });
    expect(trackAt(h, T0 + 2 * DAY, 'purchase', { value: 299.5 })).toEqual([]);
    expect(trackAt(h, T0 + 3 * DAY, 'purchase', { value: 0.5 })).toEqual([ch('big-spender', true, T0 + 3 * DAY)]);
    expectFlipAt(h, 'big-spender', T0 + 30 * DAY, false);
  });

  it('nps-promoter: last NPS answer of 9 or more', () => {
    const h = harness(scenario('nps-promoter'));
    trackAt(h, T0, 'survey_response', { survey: 'nps', answer: 7 });
    expect(trackAt(h, T0 + DAY, 'survey_response', { survey: 'nps', answer: 9 })).toEqual([ch('nps-promoter', true, T0 + DAY)]);
    expect(trackAt(h, T0 + 2 * DAY, 'survey_response', { survey: 'csat', answer: 1 })).toEqual([]);
    expect(trackAt(h, T0 + 3 * DAY, 'survey_response', { survey: 'nps', answer: 6 })).toEqual([ch('nps-promoter', false, T0 + 3 * DAY)]);
  });

  it('mobile-evening: flips at 18:00 and at midnight local time (Europe/Paris)', () => {
    const h = harness(scenario('mobile-evening'), { timeZone: 'Europe/Paris', context: { device: 'mobile' } });
    expect(h.engine.has('mobile-evening')).toBe(false);
    expectFlipAt(h, 'mobile-evening', Date.UTC(2026, 0, 5, 17), true);
    expectFlipAt(h, 'mobile-evening', Date.UTC(2026, 0, 5, 23), false);
    h.clock.set(Date.UTC(2026, 0, 6, 16));
    expect(h.engine.setContext({ device: 'desktop' })).toEqual([]);
    expect(tickAt(h, Date.UTC(2026, 0, 6, 20))).toEqual([]);
    expect(h.engine.setContext({ device: 'mobile' })).toEqual([ch('mobile-evening', true, Date.UTC(2026, 0, 6, 20))]);
  });

  it('holdout: a stable 10% bucket over 10,000 anonymous ids (10% +/- 1%)', () => {
    const rules = scenario('holdout');
    let members = 0;
    const disagreements: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const anonymousId = `visitor-${i}`;
      const e = createEngine({ rules, anonymousId, now: () => T0, timeZone: 'UTC' });
      const inside = e.has('holdout');
      if (inside !== bucketOf('holdout', anonymousId) < 0.1) disagreements.push(anonymousId);
      if (inside) members++;
    }
    expect(disagreements).toEqual([]);
    expect(members).toBeGreaterThanOrEqual(900);
    expect(members).toBeLessThanOrEqual(1100);
  });

  it('likely-buyer: logistic purchase likelihood of 0.8 or more', () => {
    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
    // linear = -4 + 0.5 * views + 1.5 * adds (+1 if returning)
    expect(sigmoid(-4 + 0.5 * 4 + 1.5 * 2)).toBeLessThan(0.8);
    expect(sigmoid(-4 + 0.5 * 4 + 1.5 * 3)).toBeGreaterThanOrEqual(0.8);
    expect(sigmoid(-4 + 0.5 * 2 + 1.5 * 3)).toBeGreaterThanOrEqual(0.8);
    expect(sigmoid(-4 + 0.5 * 1 + 1.5 * 3)).toBeLessThan(0.8);
    const h = harness(scenario('likely-buyer'));
    const id = 'likely-buyer';
    for (let i = 0; i < 4; i++) trackAt(h, T0 + i * HOUR, 'view_item', { item_id: `p${i}` });
    trackAt(h, T0 + 4 * HOUR, 'add_to_cart');
    expect(trackAt(h, T0 + 5 * HOUR, 'add_to_cart')).toEqual([]);
    expect(trackAt(h, T0 + 6 * HOUR, 'add_to_cart')).toEqual([ch(id, true, T0 + 6 * HOUR)]);
    // views leave the 7-day window one by one; with 1 view left the score drops below 0.8
    expect(tickAt(h, T0 + 7 * DAY + HOUR)).toEqual([]);
    expectFlipAt(h, id, T0 + 7 * DAY + 2 * HOUR, false);
    h.clock.set(T0 + 7 * DAY + 3 * HOUR);
    expect(h.engine.identify('u1', { returning: true })).toEqual([ch(id, true, T0 + 7 * DAY + 3 * HOUR)]);
  });

  it('shopper-clusters: k-means from a scaler mean/scale and centroids', () => {
    const rules = scenario('shopper-clusters');
    const mean = [60, 4];
    const scale = [30, 3];
    const centroids: [string, number[]][] = [['bargain_hunters', [-0.6, 1.2]], ['premium_buyers', [1.5, -0.8]]];
    const label = (x: number[]) => {
      const z = x.map((v, i) => (v - mean[i]!) / scale[i]!);
      let best = '';
      let bestD = Infinity;
      for (const [name, c] of centroids) {
        const d = Math.hypot(...z.map((v, i) => v - c[i]!));
        if (d < bestD) [best, bestD] = [name, d];
      }
      return best;
    };
    expect(label([30, 7])).toBe('bargain_hunters');
    expect(label([115, 7])).toBe('premium_buyers');
    expect(label([225, 0])).toBe('premium_buyers');

    const h = harness(rules);
    for (let i = 0; i < 7; i++) trackAt(h, T0 + i * MIN, 'view_item', { item_id: `s${i}`, on_sale: true });
    trackAt(h, T0 + 7 * MIN, 'view_item', { item_id: 'full-price', on_sale: false });
    expect(h.engine.members()).toEqual([]);
    expect(trackAt(h, T0 + 10 * MIN, 'purchase', { value: 30 })).toEqual([ch('bargain-hunters', true, T0 + 10 * MIN)]);
    expect(trackAt(h, T0 + DAY, 'purchase', { value: 200 })).toEqual([ch('bargain-hunters', false, T0 + DAY), ch('premium-buyers', true, T0 + DAY)]);
    expect(trackAt(h, T0 + 2 * DAY, 'purchase', { value: 250 })).toEqual([]);
    // every purchase has left the 90-day window (and the log) by T0+92d
    expect(tickAt(h, T0 + 92 * DAY - 1)).toEqual([]);
    expect(tickAt(h, T0 + 92 * DAY)).toEqual([ch('premium-buyers', false, T0 + 92 * DAY)]);
  });
});
