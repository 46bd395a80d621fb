// What the docs say rules do, run on the engine: the examples behave as their prose claims.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bucketOf, createEngine, type Engine, type RuleSet } from '@seglet/core';
import { ruleSetWith } from './markdown.js';

const T0 = Date.UTC(2026, 2, 2, 10);
const MIN = 60_000;
const DAY = 86_400_000;

/** An engine on a fake clock; `advance` fires every time-driven change on the way, as a runtime's timer does. */
function start(rules: unknown, options: { anonymousId?: string; context?: Record<string, string> } = {}) {
  let now = T0;
  const engine: Engine = createEngine({ rules: rules as RuleSet, now: () => now, timeZone: 'UTC', anonymousId: options.anonymousId ?? 'anon', context: options.context ?? {} });
  const advance = (ms: number): void => {
    const end = now + ms;
    for (let next = engine.nextChange(); next !== null && next <= end; next = engine.nextChange()) {
      now = next;
      engine.tick();
    }
    now = end;
  };
  return { engine, advance };
}

describe('reference.md', () => {
  it('globs match the paths the prose names', () => {
    const rules = { version: 1, segments: {
      one: { when: { context: 'path', glob: '/product/*' } },
      any: { when: { context: 'path', glob: '/product/**' } },
      year: { when: { context: 'path', glob: '/blog/20??/*' } },
    } };
    const members = (path: string): string[] => start(rules, { context: { path } }).engine.members();
    expect(members('/product/shoe')).toEqual(['one', 'any']);
    expect(members('/product/shoe/reviews')).toEqual(['any']);
    expect(members('/product/')).toEqual(['one', 'any']);
    expect(members('/blog/2025/spring')).toEqual(['year']);
  });

  it('a list prop passes when any element does; ne when none equals', () => {
    const { engine } = start(ruleSetWith('reference.md', 'sale-hunter'));
    for (let i = 0; i < 3; i++) engine.track('view_item', { item_id: `i${i}`, item_category: ['shoes', 'sale'] });
    engine.track('add_to_cart', { item_id: 'g', item_category: ['gifts', 'sale'] });
    expect(engine.members()).toEqual(['sale-hunter']);
  });

  it('since holds for a brand new visitor', () => {
    const { engine } = start(ruleSetWith('reference.md', 'lapsed'));
    expect(engine.members()).toEqual(['lapsed']);
  });
});

describe('recipes.md', () => {
  it('the exposure cap shows the offer on exactly three pages', () => {
    const { engine, advance } = start(ruleSetWith('recipes.md', 'spring-offer'));
    let shown = 0;
    const page = (): void => {
      engine.track('page_view', { path: '/product/a' });
      // A page load: on() runs enter at once for a member, and the handler records the exposure.
      const off = engine.on('spring-offer', () => { shown++; engine.track('exposure', { id: 'spring-offer' }); });
      off();
      advance(MIN);
    };
    for (let i = 0; i < 6; i++) page();
    expect(shown).toBe(3);
    advance(7 * DAY);
    page();
    page();
    expect(shown).toBe(4);
  });

  it('the holdout recipe puts a recovery in the group of its bucket', () => {
    const rules = ruleSetWith('recipes.md', 'recovered-withheld');
    // Shaped like the browser's anonymous ids (16 hex digits), deterministic for the test.
    const ids = Array.from({ length: 100 }, (_, i) => createHash('sha256').update(String(i)).digest('hex').slice(0, 16));
    const held = ids.find((id) => bucketOf('cart-offer-2026', id) < 0.1);
    const treated = ids.find((id) => bucketOf('cart-offer-2026', id) >= 0.1);
    expect(held && treated).toBeTruthy();
    for (const [id, group] of [[treated, 'offer'], [held, 'withheld']] as const) {
      const { engine, advance } = start(rules, { anonymousId: id });
      const entered: string[] = [];
      engine.subscribe((c) => { if (c.member) entered.push(c.segment); });
      engine.track('add_to_cart', { item_id: 'sku-1', value: 49 });
      advance(60 * MIN);
      engine.track('purchase', { value: 49 });
      expect(entered).toContain(group === 'offer' ? 'offer' : 'offer-withheld');
      expect(entered).toContain(group === 'offer' ? 'recovered-offer' : 'recovered-withheld');
      expect(entered).not.toContain(group === 'offer' ? 'recovered-withheld' : 'recovered-offer');
      advance(8 * DAY);
      expect(engine.members()).toEqual(group === 'offer' ? [] : ['holdout']);
    }
  });

  it('survey answers move visitors between segments', () => {
    const { engine, advance } = start(ruleSetWith('recipes.md', 'ask-nps'));
    for (let i = 0; i < 3; i++) {
      engine.track('page_view', { path: '/' });
      advance(40 * MIN);
    }
    expect(engine.has('ask-nps')).toBe(true);
    engine.track('survey_response', { survey: 'nps', answer: 9 });
    expect(engine.members()).toEqual(['promoter']);
    engine.track('survey_response', { survey: 'nps', answer: 3 });
    engine.track('survey_response', { survey: 'exit', question: 'why-leave', answer: ['price', 'shipping'] });
    expect(engine.members()).toEqual(['detractor', 'price-sensitive']);
  });

  it('the printed k-means model sorts the two example visitors as the prose says', () => {
    const rules = ruleSetWith('recipes.md', 'premium-shopper');
    const premium = start(rules).engine;
    for (let i = 0; i < 10; i++) premium.track('page_view', { path: '/' });
    premium.track('purchase', { value: 180 });
    premium.track('view_item', { item_id: 'x', item_category: 'shoes' });
    expect(premium.explain('premium-shopper').condition.value).toBe('premium');
    const browser = start(rules).engine;
    for (let i = 0; i < 40; i++) browser.track('page_view', { path: '/' });
    expect(browser.explain('premium-shopper').condition.value).toBe('browser');
  });

  it('the printed logistic model is 1 / (1 + exp(-(bias + sum(weight * min(value, cap)))))', () => {
    const { engine, advance } = start(ruleSetWith('recipes.md', 'likely-buyer'));
    for (let i = 0; i < 25; i++) engine.track('view_item', { item_id: `i${i}` });
    engine.track('add_to_cart', { item_id: 'i1' });
    advance(40 * MIN);
    engine.track('add_to_cart', { item_id: 'i2' });
    const linear = -5.7184 + 0.4789 * 20 + 2.6933 * 2 - 0.1282 * 2;
    expect(engine.explain('likely-buyer').condition.value).toBeCloseTo(1 / (1 + Math.exp(-linear)), 12);
    expect(engine.has('likely-buyer')).toBe(true);
  });
});
