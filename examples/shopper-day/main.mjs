// A simulated shopper's day, then two days without events, replayed through the engine with a
// fake clock. The members at the start come first (with no history, "dormant" holds at once);
// then every enter and exit is printed with its instant: time-driven ones (a cart abandoned for
// 30 minutes, a window expiring, the evening starting) appear without any event, exactly when
// they are due.
import { readFileSync } from 'node:fs';
import { createEngine } from '@seglet/core';

const rules = JSON.parse(readFileSync(new URL('./rules.json', import.meta.url), 'utf8'));
const start = Date.UTC(2026, 10, 30, 8, 0); // Monday 30 Nov 2026, 08:00 UTC
let now = start;
const at = (h, m = 0) => start + (h * 60 + m) * 60_000;
const end = at(48);
const midnight = Date.UTC(2026, 10, 30);
const hhmm = (t) => `day ${Math.floor((t - midnight) / 86_400_000) + 1} ${new Date(t).toISOString().slice(11, 16)}`;

const engine = createEngine({ rules, now: () => now, timeZone: 'UTC', anonymousId: 'demo-shopper-7', context: { device: 'mobile' } });
engine.subscribe((c) => console.log(`${hhmm(c.t)}  ${c.member ? 'enter' : 'exit '}  ${c.segment}`));

/** Lets time pass the way a runtime does: one timer at nextChange(), then tick(). */
function waitUntil(t) {
  for (let next = engine.nextChange(); next !== null && next <= t; next = engine.nextChange()) {
    now = next;
    engine.tick();
  }
  now = t;
}
function act(t, type, props, note) {
  waitUntil(t);
  console.log(`${hhmm(t)}  ${'·'.padEnd(5)}  ${type}${note ? `  (${note})` : ''}`);
  engine.track(type, props);
}

const members = () => engine.members().join(', ') || '(none)';
console.log(`seglet demo: ${Object.keys(rules.segments).length} segments; a shopper's day, then time passing until ${hhmm(end)} (UTC, mobile)\n`);
console.log(`${hhmm(now)}  members: ${members()}`);
act(at(0, 5), 'page_view', { path: '/' }, 'morning visit');
act(at(0, 6), 'page_view', { path: '/product/trail-shoe' });
act(at(0, 6), 'view_item', { item_id: 'trail-shoe', price: 120 });
act(at(0, 8), 'page_view', { path: '/product/rain-jacket' });
act(at(0, 8), 'view_item', { item_id: 'rain-jacket', price: 90 });
act(at(0, 9), 'page_view', { path: '/product/trail-shoe' });
act(at(0, 11), 'page_view', { path: '/product/socks' });
act(at(0, 12), 'add_to_cart', { item_id: 'trail-shoe', value: 120, currency: 'EUR' });
act(at(0, 20), 'page_view', { path: '/blog/how-to-lace' }, 'reads, leaves the cart');
act(at(1, 5), 'add_to_cart', { item_id: 'socks', value: 12, currency: 'EUR' }, 'back: a second add restarts the clock');
act(at(3, 0), 'begin_checkout', { value: 132 });
act(at(3, 2), 'purchase', { value: 132, currency: 'EUR', transaction_id: 't-1' });
act(at(4, 0), 'survey_response', { survey: 'nps', answer: 9 });
act(at(9, 30), 'page_view', { path: '/product/headlamp' }, 'evening, on the sofa');
act(at(9, 31), 'purchase', { value: 80, currency: 'EUR', transaction_id: 't-2' });
waitUntil(end);
console.log(`\n${hhmm(now)}  members: ${members()}`);
const why = engine.explain('high-intent');
console.log(`why not high-intent: ${why.condition.text}`);
