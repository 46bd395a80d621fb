import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PropValue } from '@seglet/core';
import { collectDataLayer } from '../../src/collectors/collectDataLayer.js';
import { ecommerceEvent } from '../../src/collectors/ecommerceEvent.js';
import type { Win } from '../../src/collectors/types.js';
import { forgetCollected } from './resetPage.js';

const win = window as unknown as Win;
const globals = window as unknown as Record<string, unknown>;
type Call = [string, Record<string, PropValue>];

/** gtag as Google publishes it: it pushes its `arguments` object. */
function gtag(..._args: unknown[]): void {
  // eslint-disable-next-line prefer-rest-params
  (globals['dataLayer'] as unknown[]).push(arguments);
}

const cart = {
  currency: 'EUR',
  value: 74.5,
  items: [
    { item_id: 'sku-1', item_name: 'Shoe', item_category: 'shoes', price: 49.5, quantity: 1 },
    { item_id: 'sku-2', item_name: 'Sock', item_category: 'socks', price: 12.5, quantity: 2 },
  ],
};
const flattened = { item_id: ['sku-1', 'sku-2'], item_category: ['shoes', 'socks'], quantity: 3, value: 74.5, currency: 'EUR' };

describe('collectDataLayer', () => {
  let stop: () => void = () => {};
  afterEach(() => {
    stop();
    forgetCollected();
    delete globals['dataLayer'];
    delete globals['otherLayer'];
  });
  const record = () => {
    const calls: Call[] = [];
    return { calls, track: (type: string, props: Record<string, PropValue>) => void calls.push([type, props]) };
  };

  it('maps GTM {event, ecommerce} pushes and replays entries pushed before load, in order', () => {
    globals['dataLayer'] = [
      { 'gtm.start': 1, event: 'gtm.js' },
      { ecommerce: null },
      { event: 'view_item', ecommerce: { items: [{ item_id: 'sku-1', item_category: 'shoes', price: 49.5 }] } },
    ];
    const { calls, track } = record();
    stop = collectDataLayer(track, win);
    expect(calls).toEqual([['view_item', { item_id: ['sku-1'], item_category: ['shoes'], quantity: 1 }]]);
    const layer = globals['dataLayer'] as unknown[];
    layer.push({ ecommerce: null });
    layer.push({ event: 'add_to_cart', ecommerce: cart });
    layer.push({ event: 'purchase', ecommerce: { ...cart, transaction_id: 'T-1' } });
    expect(calls.slice(1)).toEqual([['add_to_cart', flattened], ['purchase', { ...flattened, transaction_id: 'T-1' }]]);
    expect(layer).toHaveLength(6);
  });

  it('maps gtag arguments objects, before and after load, and ignores other commands', () => {
    globals['dataLayer'] = [];
    gtag('js', new Date());
    gtag('config', 'G-XXXX');
    gtag('event', 'begin_checkout', cart);
    const { calls, track } = record();
    stop = collectDataLayer(track, win);
    gtag('event', 'remove_from_cart', { currency: 'EUR', value: '12.50', items: [{ item_id: 'sku-2' }] });
    gtag('event', 'login', { method: 'Google' });
    gtag('consent', 'update', { ad_storage: 'granted' });
    expect(calls).toEqual([
      ['begin_checkout', flattened],
      ['remove_from_cart', { item_id: ['sku-2'], quantity: 1, value: 12.5, currency: 'EUR' }],
    ]);
  });

  it('ignores {ecommerce: null}, other events, and ecommerce without an event', () => {
    expect(ecommerceEvent({ ecommerce: null })).toBeNull();
    expect(ecommerceEvent({ event: 'add_to_cart', ecommerce: null })).toBeNull();
    expect(ecommerceEvent({ event: 'select_promotion', ecommerce: cart })).toBeNull();
    expect(ecommerceEvent({ ecommerce: cart })).toBeNull();
    expect(ecommerceEvent('add_to_cart')).toBeNull();
    expect(ecommerceEvent(null)).toBeNull();
  });

  it('cleans what the page pushed: strings 512, arrays 32, no objects, no non-finite numbers', () => {
    const items = Array.from({ length: 40 }, (_, i) => ({ item_id: i === 0 ? 'x'.repeat(700) : `sku-${i}`, item_category: { evil: true }, quantity: Infinity }));
    const event = ecommerceEvent({ event: 'add_to_cart', ecommerce: { items, value: Number.NaN, currency: 'y'.repeat(600) } })!;
    expect((event.props['item_id'] as string[]).length).toBe(32);
    expect((event.props['item_id'] as string[])[0]).toHaveLength(512);
    expect(event.props['currency']).toHaveLength(512);
    expect(event.props).not.toHaveProperty('value');
    expect(event.props).not.toHaveProperty('item_category');
    expect(event.props['quantity']).toBe(40);
  });

  it('creates the layer when missing, supports another name, and stop restores push', () => {
    const { calls, track } = record();
    stop = collectDataLayer(track, win, { name: 'otherLayer' });
    const layer = globals['otherLayer'] as unknown[];
    expect(Array.isArray(layer)).toBe(true);
    expect(Object.hasOwn(layer, 'push')).toBe(true);
    stop();
    expect(Object.hasOwn(layer, 'push')).toBe(false);
    layer.push({ event: 'purchase', ecommerce: cart });
    expect(calls).toEqual([]);
  });

  it('keeps a push that GTM installed before, and stays inert when wrapped again after it', () => {
    const gtmPush = vi.fn(function (this: unknown[], ...items: unknown[]) { return Array.prototype.push.apply(this, items); });
    const layer: unknown[] = [];
    layer.push = gtmPush;
    globals['dataLayer'] = layer;
    const { calls, track } = record();
    stop = collectDataLayer(track, win);
    layer.push({ event: 'view_item', ecommerce: cart });
    expect(gtmPush).toHaveBeenCalledTimes(1);
    expect(calls).toHaveLength(1);
    const ours = layer.push;
    const later = function (this: unknown[], ...items: unknown[]) { return ours.apply(this, items); };
    layer.push = later;
    stop();
    expect(layer.push).toBe(later);
    layer.push({ event: 'view_item', ecommerce: cart });
    expect(calls).toHaveLength(1);
    expect(gtmPush).toHaveBeenCalledTimes(2);
    stop();
    expect(layer.push).toBe(later);
  });

  it('started again in the same document, replays only the entries pushed since; one object pushed twice is two events', () => {
    const item = { event: 'add_to_cart', ecommerce: cart };
    globals['dataLayer'] = [{ event: 'purchase', ecommerce: cart }, item, item];
    const first = record();
    stop = collectDataLayer(first.track, win);
    expect(first.calls.map(([type]) => type)).toEqual(['purchase', 'add_to_cart', 'add_to_cart']);
    stop();
    (globals['dataLayer'] as unknown[]).push({ event: 'view_item', ecommerce: cart }); // while none ran
    const again = record();
    stop = collectDataLayer(again.track, win);
    (globals['dataLayer'] as unknown[]).push(item);
    expect(again.calls.map(([type]) => type)).toEqual(['view_item', 'add_to_cart']);
  });

  it('follows an array the page assigns later (dataLayer = [...] in a tag after ours), and stop leaves a plain global', () => {
    const { calls, track } = record();
    stop = collectDataLayer(track, win);
    const first = globals['dataLayer'] as unknown[];
    globals['dataLayer'] = [{ pageType: 'product' }, { event: 'view_item', ecommerce: cart }];
    const second = globals['dataLayer'] as unknown[];
    second.push({ event: 'add_to_cart', ecommerce: cart });
    first.push({ event: 'purchase', ecommerce: cart }); // a tag that kept the old array is still read
    globals['dataLayer'] = globals['dataLayer'] || []; // GTM's own line assigns the same array: read once
    globals['dataLayer'] = first; // back to an array already followed: not wrapped twice
    first.push({ event: 'begin_checkout', ecommerce: cart });
    expect(calls.map(([type]) => type)).toEqual(['view_item', 'add_to_cart', 'purchase', 'begin_checkout']);
    globals['dataLayer'] = 'not an array';
    expect(globals['dataLayer']).toBe('not an array');
    globals['dataLayer'] = second;
    stop();
    stop = () => {};
    const plain = Object.getOwnPropertyDescriptor(window, 'dataLayer');
    expect(plain).toEqual({ value: second, writable: true, enumerable: true, configurable: true });
    second.push({ event: 'purchase', ecommerce: cart });
    expect(calls).toHaveLength(4);
  });

  it('an assigned array that cannot be read is reported, and the assignment still holds', () => {
    const onError = vi.fn();
    stop = collectDataLayer(() => {}, win, { onError });
    const hostile = new Proxy([], { get: (t, k) => { if (k === 'filter') throw new Error('no'); return Reflect.get(t, k); } });
    expect(() => { globals['dataLayer'] = hostile; }).not.toThrow();
    expect(globals['dataLayer']).toBe(hostile);
    expect(onError).toHaveBeenCalledTimes(1);
  });

  it('leaves a global it cannot redefine as it is (a var declared before us), reading the array there', () => {
    const own = Object.defineProperty({}, 'dataLayer', { value: [], writable: true, enumerable: true, configurable: false }) as { dataLayer: unknown[] };
    const { calls, track } = record();
    stop = collectDataLayer(track, own as unknown as Win);
    own.dataLayer.push({ event: 'purchase', ecommerce: cart });
    expect(calls.map(([type]) => type)).toEqual(['purchase']);
    expect(Object.getOwnPropertyDescriptor(own, 'dataLayer')?.configurable).toBe(false);
  });

  it('never throws at the page: a non-array layer or a throwing track are reported', () => {
    globals['dataLayer'] = { push: 1 };
    const onError = vi.fn();
    stop = collectDataLayer(() => {}, win, { onError });
    expect(onError).toHaveBeenCalledTimes(1);
    expect(globals['dataLayer']).toEqual({ push: 1 });
    globals['dataLayer'] = [];
    stop = collectDataLayer(() => { throw new Error('x'); }, win, { onError });
    expect(() => (globals['dataLayer'] as unknown[]).push({ event: 'purchase', ecommerce: cart })).not.toThrow();
    expect(onError).toHaveBeenCalledTimes(2);
    expect(onError.mock.calls[1]![0].code).toBe('collector_failed');
  });
});
