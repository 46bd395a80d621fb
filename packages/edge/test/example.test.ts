import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Miniflare } from 'miniflare';
import { startOrigin, type OriginServer } from './harness/originServer.js';
import { startWorker } from './harness/startWorker.js';

let origin: OriginServer;
let mf: Miniflare;
beforeAll(async () => {
  origin = await startOrigin();
  mf = await startWorker(inject('edgeBundles').example, { ORIGIN: origin.url });
});
afterAll(async () => {
  await mf?.dispose();
  await origin?.close();
});

const PAGE = [
  '<div id="hero"><h1>Spring sale</h1></div>',
  '<template data-seglet-when="cart-abandoner" data-seglet-into="#hero"><h1>Your cart is waiting</h1></template>',
  '<a data-seglet-show="mobile" hidden href="/app">Get the app</a>',
  '<p data-seglet-show="eu-visitor" hidden>Prices include VAT</p>',
].join('');

describe('examples/edge-worker in workerd', () => {
  it('personalises the shop page from the request and the cookie, forwarding to ORIGIN', async () => {
    origin.routes.set('/products', { body: PAGE, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'public, max-age=60' } });
    const res = await mf.dispatchFetch('https://shop.example.com/products?utm_source=newsletter', {
      headers: { 'user-agent': 'Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile Safari/537.36', cookie: 'seglet_m=cart-abandoner' },
      cf: { country: 'DE', timezone: 'Europe/Berlin' },
    });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toContain('<div id="hero" data-seglet-applied="cart-abandoner"><template data-seglet-original><h1>Spring sale</h1></template><h1>Your cart is waiting</h1></div>');
    expect(text).toContain('<a data-seglet-show="mobile" href="/app" data-seglet-applied="">Get the app</a>');
    expect(text).toContain('<p data-seglet-show="eu-visitor" data-seglet-applied="">Prices include VAT</p>');
    expect(res.headers.get('cache-control')).toBe('private, max-age=60');
    expect(origin.received.at(-1)?.url).toBe('/products?utm_source=newsletter');
  });
});
