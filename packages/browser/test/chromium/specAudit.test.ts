// Statements of runtime.md whose truth depends on real browser timing (Web Locks, IndexedDB).
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Segments } from '../../src/types.js';
import { startFacadeServer } from './fixtures/facadeServer.js';
import { forgetOrigin, useChromium } from './harness/useChromium.js';

const fx = useChromium(startFacadeServer, async ({ server, browser }) => {
  await forgetOrigin(browser, `${server.base}/facade-other.html`);
});

const RULES = '{"version":1,"segments":{"carts":{"when":{"count":"add_to_cart","gte":100000}}}}';

/** A page of the test origin with the script tag and `data-consent`, served through a route (no extra file). */
async function open(consent: string): Promise<Page> {
  const page = await fx.browser.context.newPage();
  fx.pages.push(page);
  page.on('pageerror', (e) => { throw e; });
  const url = `${fx.server.base}/audit-${consent}.html`;
  await page.route(url, (route) => route.fulfill({
    contentType: 'text/html',
    body: `<!doctype html><meta charset="utf-8"><script type="application/json" id="seglet-rules">${RULES}</script>`
      + `<script src="/build/seglet.js" data-rules="#seglet-rules" data-collect="none" data-consent="${consent}"></script>`,
  }));
  await page.goto(url);
  return page;
}
const carts = (page: Page): Promise<unknown> =>
  page.evaluate(async () => {
    const s = (window as unknown as { segments: Segments }).segments;
    await s.ready;
    return s.explain('carts')?.condition.value;
  });

/** Two add_to_cart while consent is still denied, then the grant; resolves once the store has them. */
const trackTwiceThenGrant = (page: Page): Promise<void> => page.evaluate(async () => {
  const s = (window as unknown as { segments: Segments }).segments;
  s.track('add_to_cart');
  s.track('add_to_cart');
  s.consent('granted');
  await s.ready;
  await new Promise((r) => setTimeout(r, 200));
  await s.flush();
});

describe('consent in Chromium', () => {
  it('denied then granted on a first visit: the events tracked meanwhile join the stored log', async () => {
    const page = await open('denied');
    await trackTwiceThenGrant(page);
    expect(await carts(page)).toBe(2);
    const next = await open('granted');
    expect(await carts(next)).toBe(2);
  });

  it('after an earlier visit: the denial erases its event, the grant keeps the two tracked since', async () => {
    const earlier = await open('granted');
    await earlier.evaluate(async () => {
      const s = (window as unknown as { segments: Segments }).segments;
      await s.ready;
      s.track('add_to_cart');
      await s.flush();
    });
    await earlier.close();
    const page = await open('denied');
    await trackTwiceThenGrant(page);
    expect(await carts(page)).toBe(2);
    const next = await open('granted');
    expect(await carts(next)).toBe(2);
  });
});
