// Writes engine-cases.json from the readable definitions below: times are written as offsets
// from T (Monday 2026-01-05 12:00 UTC) and expectations come from the spec, never from an engine.
// Run: node packages/core/test/cases/build-engine-cases.mjs
import { writeFileSync } from 'node:fs';
import { CASE_ANONYMOUS_ID } from './runCase.js';

const T = Date.UTC(2026, 0, 5, 12);
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

function fnv1a32(text) {
  let h = 2166136261;
  for (const b of new TextEncoder().encode(text)) h = Math.imul(h ^ b, 16777619) >>> 0;
  return h >>> 0;
}
const bucket = (salt) => fnv1a32(`${salt}:${CASE_ANONYMOUS_ID}`) / 2 ** 32;

const rules = (segments, extra = {}) => {
  const out = {};
  for (const [id, v] of Object.entries(segments)) out[id] = 'when' in v ? v : { when: v };
  return { version: 1, ...extra, segments: out };
};
const tr = (at, type, props, t) => ({ now: T + at, track: { type, ...(props ? { props } : {}), ...(t === undefined ? {} : { t: T + t }) } });
const tk = (at) => ({ now: T + at, tick: true });
const ctx = (at, context) => ({ now: T + at, setContext: context });
const idf = (at, userId, traits) => ({ now: T + at, identify: traits === undefined ? [userId] : [userId, traits] });
/** members, then changes as [segment, member, offset]. */
const ex = (members, ...changes) => ({ members, changes: changes.map(([s, m, t]) => [s, m, T + t]) });

const cases = [];
/** name, rules, then [step, expectation] pairs */
function kase(name, r, ...pairs) {
  cases.push([name, r, pairs.map((p) => p[0]), pairs.map((p) => p[1])]);
}

// ---- count
kase('count: enters on the third matching event', rules({ hi: { count: 'page_view', where: { path: { prefix: '/product/' } }, within: '24h', gte: 3 } }),
  [tr(0, 'page_view', { path: '/product/1' }), ex([])],
  [tr(1 * H, 'page_view', { path: '/cart' }), ex([])],
  [tr(2 * H, 'page_view', { path: '/product/2' }), ex([])],
  [tr(3 * H, 'page_view', { path: '/product/3' }), ex(['hi'], ['hi', true, 3 * H])],
  [tk(24 * H - 1), ex(['hi'])],
  [tk(24 * H), ex([], ['hi', false, 24 * H])]);
kase('count: window boundary now - W < t <= now', rules({ w: { count: 'x', within: '10m', gte: 1 } }),
  [tr(0, 'x'), ex(['w'], ['w', true, 0])],
  [tk(10 * M - 1), ex(['w'])],
  [tk(10 * M), ex([], ['w', false, 10 * M])]);
kase('count: "*" counts every type', rules({ any3: { count: '*', gte: 3 } }),
  [tr(0, 'page_view'), ex([])],
  [tr(1, 'click'), ex([])],
  [tr(2, 'my:custom'), ex(['any3'], ['any3', true, 2])]);
kase('count: of nothing is 0', rules({ none: { count: 'purchase', eq: 0 } }),
  [tk(0), ex(['none'])],
  [tr(5, 'purchase', { value: 1 }), ex([], ['none', false, 5])]);
kase('count: within session', rules({ s2: { count: 'page_view', within: 'session', gte: 2 } }),
  [tr(0, 'page_view'), ex([])],
  [tr(10 * M, 'page_view'), ex(['s2'], ['s2', true, 10 * M])],
  [tr(40 * M, 'page_view'), ex([], ['s2', false, 40 * M])],
  [tr(41 * M, 'page_view'), ex(['s2'], ['s2', true, 41 * M])]);

// ---- sum, min, max, avg
kase('sum: finite numbers and array elements only', rules({ s60: { sum: 'purchase', of: 'value', eq: 60 } }),
  [tr(0, 'purchase', { value: 10 }), ex([])],
  [tr(1, 'purchase', { value: '500' }), ex([])],
  [tr(2, 'purchase', { value: [20, '7', null, true] }), ex([])],
  [tr(3, 'purchase', { value: 30 }), ex(['s60'], ['s60', true, 3])]);
kase('sum: in a window', rules({ spend: { sum: 'purchase', of: 'value', within: '1d', gte: 100 } }),
  [tr(0, 'purchase', { value: 60 }), ex([])],
  [tr(H, 'purchase', { value: 40 }), ex(['spend'], ['spend', true, H])],
  [tk(D + 5), ex([], ['spend', false, D])]);
kase('min: of nothing is null', rules({ nul: { min: 'x', of: 'v', eq: null }, low: { min: 'x', of: 'v', lt: 5 } }),
  [tk(0), ex(['nul'])],
  [tr(1, 'x', { v: 'a' }), ex(['nul'])],
  [tr(2, 'x', { v: 3 }), ex(['low'], ['nul', false, 2], ['low', true, 2])]);
kase('max: falls when the maximum leaves the window', rules({ big: { max: 'view_item', of: 'price', within: '1h', gt: 100 } }),
  [tr(0, 'view_item', { price: 500 }), ex(['big'], ['big', true, 0])],
  [tr(10 * M, 'view_item', { price: 50 }), ex(['big'])],
  [tk(2 * H), ex([], ['big', false, H])]);
kase('avg: mean of numeric values', rules({ a12: { avg: 'x', of: 'v', eq: 12 } }),
  [tr(0, 'x', { v: 10 }), ex([])],
  [tr(1, 'x', { v: [40, -2, 'z'] }), ex([])],
  [tr(2, 'x', { v: 0 }), ex(['a12'], ['a12', true, 2])]);

// ---- distinct
kase('distinct: non-null primitives, array elements one by one, no coercion', rules({ d5: { distinct: 'x', of: 'id', gte: 5 } }),
  [tr(0, 'x', { id: 'a' }), ex([])],
  [tr(1, 'x', { id: ['a', 'b', null] }), ex([])],
  [tr(2, 'x', { id: null }), ex([])],
  [tr(3, 'x', { id: 1 }), ex([])],
  [tr(4, 'x', { id: '1' }), ex([])],
  [tr(5, 'x', { id: true }), ex(['d5'], ['d5', true, 5])]);

// ---- last
kase('last: prop of the most recent matching event', rules({ nps: { last: 'survey_response', of: 'answer', where: { survey: 'nps' }, gte: 9 } }),
  [tr(0, 'survey_response', { survey: 'nps', answer: 10 }), ex(['nps'], ['nps', true, 0])],
  [tr(1, 'survey_response', { survey: 'csat', answer: 1 }), ex(['nps'])],
  [tr(2, 'survey_response', { survey: 'nps', answer: 3 }), ex([], ['nps', false, 2])]);
kase('last: null when the latest event lacks the prop', rules({ nul: { last: 'x', of: 'p', eq: null } }),
  [tk(0), ex(['nul'])],
  [tr(1, 'x', { p: 'a' }), ex([], ['nul', false, 1])],
  [tr(2, 'x', { q: 'b' }), ex(['nul'], ['nul', true, 2])]);
kase('last: equal t, the later arrival is more recent', rules({ b: { last: 'x', of: 'p', eq: 'b' } }),
  [tr(10, 'x', { p: 'a' }, 5), ex([])],
  [tr(10, 'x', { p: 'b' }, 5), ex(['b'], ['b', true, 10])],
  [tr(10, 'x', { p: 'c' }, 4), ex(['b'])]);

// ---- since
kase('since: of nothing is Infinity', rules({ quiet: { since: 'x', gte: '3650d' } }),
  [tk(0), ex(['quiet'])],
  [tr(1, 'x'), ex([], ['quiet', false, 1])]);
kase('since: crosses gte at exactly t + D', rules({ quiet: { all: [{ count: '*', gte: 1 }, { since: '*', gte: '24h' }] } }),
  [tr(0, 'page_view'), ex([])],
  [tk(24 * H - 1), ex([])],
  [tk(24 * H), ex(['quiet'], ['quiet', true, 24 * H])],
  [tr(30 * H, 'click'), ex([], ['quiet', false, 30 * H])],
  [tk(60 * H), ex(['quiet'], ['quiet', true, 54 * H])]);
kase('since: lt ends at exactly t + D', rules({ fresh: { since: 'x', lt: 1000 } }),
  [tr(0, 'x'), ex(['fresh'], ['fresh', true, 0])],
  [tk(999), ex(['fresh'])],
  [tk(1000), ex([], ['fresh', false, 1000])]);

// ---- abandoned
kase('abandoned: true at exactly A.t + after', rules({ ab: { abandoned: 'add_to_cart', unless: 'purchase', after: '30m' } }),
  [tr(0, 'add_to_cart'), ex([])],
  [tk(30 * M - 1), ex([])],
  [tk(30 * M), ex(['ab'], ['ab', true, 30 * M])]);
kase('abandoned: second add restarts, purchase ends', rules({ ab: { abandoned: 'add_to_cart', unless: 'purchase', after: '30m' } }),
  [tr(0, 'add_to_cart'), ex([])],
  [tr(20 * M, 'add_to_cart'), ex([])],
  [tk(30 * M), ex([])],
  [tk(60 * M), ex(['ab'], ['ab', true, 50 * M])],
  [tr(2 * H, 'purchase', { value: 5 }), ex([], ['ab', false, 2 * H])]);
kase('abandoned: unless with where, and within', rules({ ab: { abandoned: 'begin_checkout', unless: { event: 'purchase', where: { value: { gt: 0 } } }, after: '1h', within: '3h' } }),
  [tr(0, 'begin_checkout'), ex([])],
  [tr(M, 'purchase', { value: 0 }), ex([])],
  [tk(H), ex(['ab'], ['ab', true, H])],
  [tk(3 * H), ex([], ['ab', false, 3 * H])]);
kase('abandoned: unless at the same t cancels (t >= A.t)', rules({ ab: { abandoned: 'add_to_cart', unless: 'purchase', after: '10m' } }),
  [tr(M, 'purchase', {}, 0), ex([])],
  [tr(M, 'add_to_cart', {}, 0), ex([])],
  [tk(H), ex([])]);

// ---- session
kase('session: pageViews and events of the latest session', rules({ pv2: { session: 'pageViews', eq: 2 }, ev3: { session: 'events', eq: 3 } }),
  [tr(0, 'page_view'), ex([])],
  [tr(M, 'click'), ex([])],
  [tr(2 * M, 'page_view'), ex(['pv2', 'ev3'], ['pv2', true, 2 * M], ['ev3', true, 2 * M])],
  [tk(5 * H), ex(['pv2', 'ev3'])],
  [tr(6 * H, 'page_view'), ex([], ['pv2', false, 6 * H], ['ev3', false, 6 * H])]);
kase('session: a gap of exactly timeout starts a new session', rules({ second: { session: 'number', eq: 2 }, ev2: { session: 'events', eq: 2 } }, { session: { timeout: '10m' } }),
  [tr(0, 'x'), ex([])],
  [tr(10 * M - 1, 'x'), ex(['ev2'], ['ev2', true, 10 * M - 1])],
  [tr(20 * M - 1, 'x'), ex(['second'], ['ev2', false, 20 * M - 1], ['second', true, 20 * M - 1])]);
kase('session: duration is last minus first event', rules({ long: { session: 'duration', gt: '10m' } }),
  [tr(0, 'page_view'), ex([])],
  [tr(10 * M, 'page_view'), ex([])],
  [tk(25 * M), ex([])],
  [tr(25 * M, 'page_view'), ex(['long'], ['long', true, 25 * M])]);
kase('session: with no events every metric is 0', rules({ z: { all: [{ session: 'events', eq: 0 }, { session: 'number', eq: 0 }, { session: 'duration', eq: 0 }, { session: 'pageViews', eq: 0 }] } }),
  [tk(0), ex(['z'])],
  [tr(1, 'x'), ex([], ['z', false, 1])]);

// ---- context
kase('context: setContext merges and null removes', rules({ mob: { context: 'device', eq: 'mobile' }, fr: { context: 'country', eq: 'FR' } }),
  [ctx(0, { device: 'mobile' }), ex(['mob'], ['mob', true, 0])],
  [ctx(1, { country: 'FR' }), ex(['mob', 'fr'], ['fr', true, 1])],
  [ctx(2, { device: null }), ex(['fr'], ['mob', false, 2])]);
kase('context: hour follows the clock (UTC)', rules({ six: { context: 'hour', eq: 18 } }),
  [tk(0), ex([])],
  [tk(6 * H - 1), ex([])],
  [tk(6 * H), ex(['six'], ['six', true, 6 * H])],
  [tk(9 * H), ex([], ['six', false, 7 * H])]);
kase('context: weekday flips at midnight, Sunday is 0', rules({ tue: { context: 'weekday', eq: 2 } }),
  [tk(0), ex([])],
  [tk(12 * H - 1), ex([])],
  [tk(12 * H), ex(['tue'], ['tue', true, 12 * H])]);
kase('context: host-passed hour is ignored', rules({ h3: { context: 'hour', eq: 3 }, h12: { context: 'hour', eq: 12 } }),
  [ctx(0, { hour: 3, weekday: 6 }), ex(['h12'])],
  [tk(H), ex([], ['h12', false, H])]);

// ---- trait
kase('trait: identify merges, null removes', rules({ pro: { trait: 'plan', eq: 'pro' }, vip: { trait: 'ltv', gte: 1000 } }),
  [idf(0, 'u1', { plan: 'pro' }), ex(['pro'], ['pro', true, 0])],
  [idf(1, 'u1', { ltv: 1500 }), ex(['pro', 'vip'], ['vip', true, 1])],
  [idf(2, 'u1', { plan: null }), ex(['vip'], ['pro', false, 2])]);
kase('trait: identify(null) clears, then applies passed traits', rules({ pro: { trait: 'plan', eq: 'pro' }, anon: { trait: 'plan', exists: false } }),
  [idf(0, 'u1', { plan: 'pro' }), ex(['pro'], ['anon', false, 0], ['pro', true, 0])],
  [idf(1, null), ex(['anon'], ['pro', false, 1], ['anon', true, 1])],
  [idf(2, null, { plan: 'pro' }), ex(['pro'], ['anon', false, 2], ['pro', true, 2])]);

// ---- segment
kase('segment: follows membership including hold', rules({
  b: { when: { segment: 'a' }, hold: '30m' },
  a: { when: { count: 'x', within: '1h', gte: 1 }, hold: '1h' },
  c: { segment: 'a' },
}),
  [tr(0, 'x'), ex(['b', 'a', 'c'], ['b', true, 0], ['a', true, 0], ['c', true, 0])],
  [tk(2 * H - 1), ex(['b', 'a', 'c'])],
  [tk(2 * H), ex(['b'], ['a', false, 2 * H], ['c', false, 2 * H])],
  [tk(3 * H), ex([], ['b', false, 2 * H + 30 * M])]);
kase('segment: ids "constructor" and "prototype" match the id pattern and work as any other', rules({
  constructor: { count: 'x', within: '1h', gte: 1 },
  prototype: { not: { segment: 'constructor' } },
}),
  [tk(0), ex(['prototype'])],
  [tr(1 * M, 'x'), ex(['constructor'], ['prototype', false, 1 * M], ['constructor', true, 1 * M])],
  [tk(1 * H + 1 * M), ex(['prototype'], ['constructor', false, 1 * H + 1 * M], ['prototype', true, 1 * H + 1 * M])]);

// ---- bucket
{
  const v = bucket('exp-1');
  kase('bucket: fnv1a32(salt:anonymousId) / 2^32', rules({ eq: { bucket: 'exp-1', eq: v }, gt: { bucket: 'exp-1', gt: v }, lte: { bucket: 'exp-1', lte: v } }),
    [tk(0), ex(['eq', 'lte'])]);
  const w = bucket('holdout');
  kase('bucket: 10% holdout', rules({ holdout: { bucket: 'holdout', lt: 0.1 } }),
    [tr(0, 'x'), ex(w < 0.1 ? ['holdout'] : [])]);
}

// ---- score
kase('score: linear', rules({ five: { score: { bias: 1, link: 'linear', terms: [{ weight: 2, value: { count: 'x' } }] }, eq: 5 } }),
  [tr(0, 'x'), ex([])],
  [tr(1, 'x'), ex(['five'], ['five', true, 1])],
  [tr(2, 'x'), ex([], ['five', false, 2])]);
kase('score: logistic (default link)', rules({
  lo: { score: { bias: -1, terms: [{ weight: 0.5, value: { count: 'x' } }] }, gte: 0.62 },
  hi: { score: { bias: -1, terms: [{ weight: 0.5, value: { count: 'x' } }] }, gte: 0.63 },
}),
  [tr(0, 'x'), ex([])],
  [tr(1, 'x'), ex([])],
  [tr(2, 'x'), ex(['lo'], ['lo', true, 2])]);
kase('score: cap, and a since term capped for Infinity', rules({
  recent: { score: { link: 'linear', terms: [{ weight: -1, value: { since: 'purchase' }, cap: 1000 }] }, gt: -500 },
  three: { score: { link: 'linear', terms: [{ weight: 1, value: { count: 'x' }, cap: 3 }] }, eq: 3 },
}),
  [tk(0), ex([])],
  [tr(10, 'purchase'), ex(['recent'], ['recent', true, 10])],
  [tk(509), ex(['recent'])],
  [tk(510), ex([], ['recent', false, 510])],
  [tr(511, 'x'), ex([])],
  [tr(512, 'x'), ex([])],
  [tr(513, 'x'), ex(['three'], ['three', true, 513])],
  [tr(514, 'x'), ex(['three'])]);
kase('score: booleans are 1/0, strings and null 0', rules({ one: { score: { link: 'linear', terms: [{ weight: 1, value: { trait: 'flag' } }, { weight: 10, value: { trait: 'name' } }, { weight: 100, value: { last: 'x', of: 'p' } }] }, eq: 1 } }),
  [idf(0, 'u', { flag: true, name: 'abc' }), ex(['one'], ['one', true, 0])],
  [tr(1, 'x', { p: 2 }), ex([], ['one', false, 1])],
  [tr(2, 'x', { p: 'two' }), ex(['one'], ['one', true, 2])]);

// ---- cluster
{
  const model = {
    features: [{ value: { count: 'view_item' } }, { value: { sum: 'purchase', of: 'value' } }],
    mean: [2, 100],
    scale: [1, 50],
    centroids: { low: [-1, -1], high: [1, 1] },
  };
  kase('cluster: nearest centroid after standardising', rules({ low: { cluster: model, eq: 'low' }, high: { cluster: model, eq: 'high' } }),
    [tk(0), ex(['low'])],
    [tr(1, 'view_item'), ex(['low'])],
    [tr(2, 'view_item'), ex(['low'])],
    [tr(3, 'view_item'), ex(['low'])],
    [tr(4, 'purchase', { value: 150 }), ex(['high'], ['low', false, 4], ['high', true, 4])]);
  const tie = { features: [{ value: { count: 'x' } }], mean: [1], scale: [1], centroids: { zeta: [1], alpha: [-1] } };
  kase('cluster: ties go to the label declared first', rules({ z: { cluster: tie, eq: 'zeta' }, a: { cluster: tie, eq: 'alpha' } }),
    [tk(0), ex(['a'])],
    [tr(1, 'x'), ex(['z'], ['a', false, 1], ['z', true, 1])]);
}

// ---- boolean
kase('boolean: empty all is true, empty any is false', rules({ all0: { all: [] }, any0: { any: [] }, nany: { not: { any: [] } } }),
  [tk(0), ex(['all0', 'nany'])]);
kase('boolean: nested all/any/not', rules({
  n: { all: [{ any: [{ count: 'a', gte: 2 }, { not: { count: 'c', eq: 0 } }] }, { not: { not: { count: 'b', gte: 1 } } }] },
}),
  [tr(0, 'a'), ex([])],
  [tr(1, 'b'), ex([])],
  [tr(2, 'a'), ex(['n'], ['n', true, 2])]);

// ---- tests on values
kase('where: glob * ** ? and runs of stars', rules({
  one: { count: 'page_view', where: { path: { glob: '/p/*' } }, gte: 1 },
  deep: { count: 'page_view', where: { path: { glob: '/p/***' } }, gte: 1 },
  q: { count: 'page_view', where: { path: { glob: '/?/x' } }, gte: 1 },
}),
  [tr(0, 'page_view', { path: '/p/a/b' }), ex(['deep'], ['deep', true, 0])],
  [tr(1, 'page_view', { path: '/ab/x' }), ex(['deep'])],
  [tr(2, 'page_view', { path: '/a/x' }), ex(['deep', 'q'], ['q', true, 2])],
  [tr(3, 'page_view', { path: '/p/' }), ex(['one', 'deep', 'q'], ['one', true, 3])]);
kase('where: arrays use any-element semantics, ne means no element equal', rules({
  eq: { count: 'x', where: { tags: 'sale' }, gte: 1 },
  ne: { count: 'x', where: { tags: { ne: 'sale' } }, gte: 1 },
  ex: { count: 'x', where: { tags: { exists: true } }, gte: 1 },
}),
  [tr(0, 'x', { tags: ['new', 'sale'] }), ex(['eq', 'ex'], ['eq', true, 0], ['ex', true, 0])],
  [tr(1, 'x', { tags: [] }), ex(['eq', 'ne', 'ex'], ['ne', true, 1])]);
kase('where: missing values pass ne and exists:false only', rules({
  ne: { count: 'x', where: { p: { ne: 'a' } }, gte: 1 },
  nex: { count: 'x', where: { p: { exists: false } }, gte: 1 },
  lt: { count: 'x', where: { p: { lt: 5 } }, gte: 1 },
}),
  [tr(0, 'x', { q: 1 }), ex(['ne', 'nex'], ['ne', true, 0], ['nex', true, 0])]);
kase('where: no coercion between numbers and strings', rules({ n: { count: 'x', where: { v: { gt: 1 } }, gte: 1 }, s: { count: 'x', where: { v: 5 }, gte: 1 } }),
  [tr(0, 'x', { v: '5' }), ex([])],
  [tr(1, 'x', { v: 5 }), ex(['n', 's'], ['n', true, 1], ['s', true, 1])]);

// ---- time, order, retention, hold
kase('out-of-order: a late event counts as if in order', rules({ two: { count: 'x', within: '1h', gte: 2 } }),
  [tr(10 * M, 'x'), ex([])],
  [tr(20 * M, 'x', {}, 5 * M), ex(['two'], ['two', true, 20 * M])],
  [tk(2 * H), ex([], ['two', false, H + 5 * M])]);
kase('future-dated: recorded at now()', rules({ w: { count: 'x', within: '1h', gte: 1 } }),
  [tr(0, 'x', {}, 5 * H), ex(['w'], ['w', true, 0])],
  [tk(H), ex([], ['w', false, H])]);
kase('retention: by count keeps the newest', rules({ first: { count: 'x', where: { n: 1 }, gte: 1 } }, { retain: { events: 2 } }),
  [tr(0, 'x', { n: 1 }), ex(['first'], ['first', true, 0])],
  [tr(0, 'x', { n: 2 }), ex(['first'])],
  [tr(0, 'x', { n: 3 }), ex([], ['first', false, 0])]);
kase('retention: by age at now - t >= for', rules({ any: { count: 'x', gte: 1 } }, { retain: { for: '2h' } }),
  [tr(0, 'x'), ex(['any'], ['any', true, 0])],
  [tk(2 * H - 1), ex(['any'])],
  [tk(2 * H), ex([], ['any', false, 2 * H])]);
kase('hold: exit at exactly x + hold', rules({ h: { when: { count: 'x', within: '1h', gte: 1 }, hold: '30m' } }),
  [tr(0, 'x'), ex(['h'], ['h', true, 0])],
  [tk(H), ex(['h'])],
  [tk(H + 30 * M - 1), ex(['h'])],
  [tk(H + 30 * M), ex([], ['h', false, H + 30 * M])]);
kase('hold: condition true again before x + hold cancels the exit', rules({ h: { when: { count: 'x', within: '1h', gte: 1 }, hold: '30m' } }),
  [tr(0, 'x'), ex(['h'], ['h', true, 0])],
  [tr(H + 10 * M, 'x'), ex(['h'])],
  [tk(3 * H), ex([], ['h', false, 2 * H + 40 * M])]);
kase('ordering: window expiring as a new event arrives gives exit then enter', rules({ w: { count: 'x', within: '1h', gte: 1 } }),
  [tr(0, 'x'), ex(['w'], ['w', true, 0])],
  [tr(H, 'x'), ex(['w'], ['w', false, H], ['w', true, H])]);
kase('ordering: exits before enters, then declaration order', rules({ z: { count: 'x', gte: 1 }, y: { count: 'x', eq: 0 }, a: { count: 'x', gte: 1 }, b: { count: 'x', lt: 1 } }),
  [tk(0), ex(['y', 'b'])],
  [tr(1, 'x'), ex(['z', 'a'], ['y', false, 1], ['b', false, 1], ['z', true, 1], ['a', true, 1])]);
kase('ordering: catch-up changes carry their due instants', rules({ late: { count: 'x', within: '2h', gte: 1 }, early: { count: 'x', within: '1h', gte: 1 }, y: { count: 'y', gte: 1 } }),
  [tr(0, 'x'), ex(['late', 'early'], ['late', true, 0], ['early', true, 0])],
  [tr(5 * H, 'y'), ex(['y'], ['early', false, H], ['late', false, 2 * H], ['y', true, 5 * H])]);
kase('time: fractional now is floored', rules({ w: { count: 'x', within: 10, gte: 1 } }),
  [{ now: T + 0.75, track: { type: 'x' } }, ex(['w'], ['w', true, 0])],
  [{ now: T + 9.99, tick: true }, ex(['w'])],
  [{ now: T + 10.5, tick: true }, ex([], ['w', false, 10])]);

// ---- more time-driven and edge cases
kase('since: eq D holds for exactly one millisecond', rules({ one: { since: 'x', eq: '1h' } }),
  [tr(0, 'x'), ex([])],
  [tk(H - 1), ex([])],
  [tk(H), ex(['one'], ['one', true, H])],
  [tk(H + 1), ex([], ['one', false, H + 1])]);
kase('hold: a late event takes effect for hold when processed', rules({ h: { when: { not: { count: 'x', within: '3h', gte: 1 } }, hold: '1h' } }),
  [tk(0), ex(['h'])],
  [tr(2 * H, 'x', {}, 90 * M), ex(['h'])],
  [tk(2 * H + 30 * M), ex(['h'])],
  [tk(3 * H), ex([], ['h', false, 3 * H])],
  [tk(5 * H), ex(['h'], ['h', true, 4 * H + 30 * M])]);
kase('abandoned: a late older add does not restart the clock', rules({ ab: { abandoned: 'add_to_cart', unless: 'purchase', after: '30m' } }),
  [tr(10 * M, 'add_to_cart'), ex([])],
  [tr(20 * M, 'add_to_cart', {}, 0), ex([])],
  [tk(40 * M), ex(['ab'], ['ab', true, 40 * M])]);
kase('session: metrics follow retention by count', rules({ ev3: { session: 'events', eq: 3 }, first: { session: 'number', eq: 1 } }, { retain: { events: 3 } }),
  [tr(0, 'x'), ex(['first'], ['first', true, 0])],
  [tr(H, 'x'), ex([], ['first', false, H])],
  [tr(H + M, 'x'), ex([])],
  [tr(H + 2 * M, 'x'), ex(['ev3', 'first'], ['ev3', true, H + 2 * M], ['first', true, H + 2 * M])]);
kase('score: a context hour term changes at the hour', rules({ s: { score: { link: 'linear', terms: [{ weight: 1, value: { context: 'hour' } }] }, eq: 14 } }),
  [tk(0), ex([])],
  [tk(2 * H), ex(['s'], ['s', true, 2 * H])],
  [tk(4 * H), ex([], ['s', false, 3 * H])]);
kase('cluster: a since feature switches label at the exact millisecond', rules({ stale: { cluster: { features: [{ value: { since: 'x' }, cap: 10000 }], mean: [0], scale: [1], centroids: { recent: [0], stale: [1000] } }, eq: 'stale' } }),
  [tk(0), ex(['stale'])],
  [tr(1, 'x'), ex([], ['stale', false, 1])],
  [tk(501), ex([])],
  [tk(502), ex(['stale'], ['stale', true, 502])]);
kase('context and trait: a missing name like toString is null', rules({ c: { context: 'toString', exists: false }, t: { trait: 'valueOf', eq: null } }),
  [tk(0), ex(['c', 't'])],
  [ctx(1, { toString: 'x' }), ex(['t'], ['c', false, 1])]);
kase('retention: a late event in the middle evicts the oldest', rules({ oldest: { count: 'x', where: { n: 1 }, gte: 1 } }, { retain: { events: 2 } }),
  [tr(10, 'x', { n: 1 }), ex(['oldest'], ['oldest', true, 10])],
  [tr(20, 'x', { n: 3 }), ex(['oldest'])],
  [tr(30, 'x', { n: 2 }, 15), ex([], ['oldest', false, 30])]);

kase('segment: a reference changing in the same instant is read after it settles', rules({
  y: { count: 'a', gte: 1 },
  x: { segment: 'y' },
  s: { when: { all: [{ count: 'a', gte: 1 }, { not: { segment: 'x' } }] }, hold: '1h' },
}),
  [tr(0, 'a'), ex(['y', 'x'], ['y', true, 0], ['x', true, 0])],
  [tk(2 * H), ex(['y', 'x'])]);

const out = new URL('./engine-cases.json', import.meta.url);
writeFileSync(out, `${JSON.stringify(cases, null, 1)}\n`);
console.log(`wrote ${cases.length} cases`);
