// The behavioral workload shared by the behavioral, restore and memory benchmarks: 50 windowed rules
// (10 shapes x 5 parameter sets), written both as a seglet rule set and as a neutral spec that the rescan
// baselines in rescan.mjs interpret, plus a seeded event stream with a fake clock that advances the way
// a shopper does (seconds between events, an occasional hours-long break) so windows really expire.
import { prng, int, pick } from './lib.mjs';

const MS = { m: 60_000, h: 3_600_000, d: 86_400_000 };
const ms = (d) => Number(d.slice(0, -1)) * MS[d.slice(-1)];
const V = (arr, v) => arr[v];

/**
 * The 50 rules. Each entry: seglet condition (`when`) and the neutral spec used by the baselines:
 * { type, where(e) | null, within (ms) | null, agg, of, op, value, unless, after }.
 */
export function behavioralRules() {
  const rules = [];
  for (let v = 0; v < 5; v++) {
    {
      const within = V(['1h', '6h', '24h', '2h', '12h'], v); const k = V([2, 3, 5, 4, 8], v);
      rules.push({ id: `product-views-${v}`, when: { count: 'page_view', where: { path: { prefix: '/product/' } }, within, gte: k },
        spec: { type: 'page_view', where: (e) => typeof e.props.path === 'string' && e.props.path.startsWith('/product/'), within: ms(within), agg: 'count', op: 'gte', value: k } });
    }
    {
      const within = V(['7d', '30d', '14d', '3d', '1d'], v); const s = V([1_500, 6_000, 3_000, 600, 150], v);
      rules.push({ id: `big-spender-${v}`, when: { sum: 'purchase', of: 'value', within, gte: s },
        spec: { type: 'purchase', where: null, within: ms(within), agg: 'sum', of: 'value', op: 'gte', value: s } });
    }
    {
      const d = V(['10m', '30m', '1h', '2h', '6h'], v);
      rules.push({ id: `recent-cart-${v}`, when: { since: 'add_to_cart', lte: d },
        spec: { type: 'add_to_cart', where: null, within: null, agg: 'since', op: 'lte', value: ms(d) } });
    }
    {
      const after = V(['10m', '20m', '30m', '1h', '2h'], v); const within = V(['1d', '2d', '3d', '7d', '1d'], v);
      rules.push({ id: `abandoned-cart-${v}`, when: { abandoned: 'add_to_cart', unless: 'purchase', after, within },
        spec: { type: 'add_to_cart', where: null, within: ms(within), agg: 'abandoned', unless: 'purchase', after: ms(after) } });
    }
    {
      const within = V(['5m', '15m', '30m', '1h', '10m'], v); const k = V([2, 3, 4, 6, 2], v);
      rules.push({ id: `clicker-${v}`, when: { count: 'click', within, gte: k },
        spec: { type: 'click', where: null, within: ms(within), agg: 'count', op: 'gte', value: k } });
    }
    {
      const within = V(['1h', '6h', '24h', '7d', '30m'], v); const p = V([150, 200, 250, 280, 100], v);
      rules.push({ id: `premium-browser-${v}`, when: { max: 'view_item', of: 'price', within, gte: p },
        spec: { type: 'view_item', where: null, within: ms(within), agg: 'max', of: 'price', op: 'gte', value: p } });
    }
    {
      const within = V(['1h', '6h', '24h', '2h', '12h'], v); const k = V([2, 3, 5, 3, 4], v);
      rules.push({ id: `comparer-${v}`, when: { distinct: 'view_item', of: 'item_id', within, gte: k },
        spec: { type: 'view_item', where: null, within: ms(within), agg: 'distinct', of: 'item_id', op: 'gte', value: k } });
    }
    {
      const within = V(['10m', '30m', '1h', '5m', '2h'], v); const k = V([5, 10, 20, 3, 30], v);
      rules.push({ id: `active-${v}`, when: { count: '*', within, gte: k },
        spec: { type: '*', where: null, within: ms(within), agg: 'count', op: 'gte', value: k } });
    }
    {
      const within = V(['30m', '1h', '6h', '24h', '15m'], v); const k = V([1, 2, 3, 5, 1], v);
      rules.push({ id: `deep-reader-${v}`, when: { count: 'scroll', where: { depth: { gte: 75 } }, within, gte: k },
        spec: { type: 'scroll', where: (e) => typeof e.props.depth === 'number' && e.props.depth >= 75, within: ms(within), agg: 'count', op: 'gte', value: k } });
    }
    {
      const within = V(['30m', '1h', '2h', '6h', '24h'], v); const pre = V(['/checkout', '/cart', '/product/', '/blog', '/'], v);
      rules.push({ id: `last-page-${v}`, when: { last: 'page_view', of: 'path', within, prefix: pre },
        spec: { type: 'page_view', where: null, within: ms(within), agg: 'last', of: 'path', op: 'prefix', value: pre } });
    }
  }
  return rules;
}

/** The seglet rule set for the 50 rules, retaining `events` events. */
export function ruleSet(rules, events) {
  const segments = {};
  for (const r of rules) segments[r.id] = { when: r.when };
  return { version: 1, retain: { events, for: '90d' }, segments };
}

export const T0 = Date.UTC(2026, 0, 5, 8, 0, 0);
const PATHS = ['/', '/cart', '/checkout', '/blog/how-to-choose', '/blog/news', '/about', '/search'];

/** A seeded event stream. next() returns { type, t, props } with t strictly increasing from `start`. */
export function eventStream(seed, start = T0) {
  const rnd = prng(seed);
  let t = start;
  return function next() {
    // seconds apart, and now and then a break of an hour or more, so short windows and sessions expire
    t += rnd() < 1 / 60 ? int(rnd, 3_600, 8 * 3_600) * 1000 : int(rnd, 1_000, 60_000);
    const x = rnd();
    if (x < 0.42) {
      const path = rnd() < 0.45 ? `/product/p${int(rnd, 1, 60)}` : pick(rnd, PATHS);
      return { type: 'page_view', t, props: { path, title: 'Page' } };
    }
    if (x < 0.62) return { type: 'click', t, props: { name: pick(rnd, ['buy', 'menu', 'logo', 'filter', 'next']) } };
    if (x < 0.72) return { type: 'scroll', t, props: { depth: pick(rnd, [25, 50, 75, 90, 100]), path: '/blog/news' } };
    if (x < 0.86) return { type: 'view_item', t, props: { item_id: `sku${int(rnd, 1, 40)}`, price: int(rnd, 5, 300), item_category: 'shoes' } };
    if (x < 0.93) return { type: 'add_to_cart', t, props: { item_id: `sku${int(rnd, 1, 40)}`, value: int(rnd, 5, 300), currency: 'EUR', quantity: 1 } };
    if (x < 0.975) return { type: 'begin_checkout', t, props: { value: int(rnd, 5, 500) } };
    return { type: 'purchase', t, props: { value: int(rnd, 10, 400), currency: 'EUR', transaction_id: `tx${int(rnd, 1, 1e9)}` } };
  };
}

/** n events from a stream. */
export function take(next, n) {
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = next();
  return out;
}
