import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Segments } from '../../src/types.js';
import { startDebugServer } from './fixtures/debugServer.js';
import { forgetOrigin, useChromium } from './harness/useChromium.js';

/** Where the README's picture of the overlay is written when `SEGLET_SCREENSHOT=1`. */
const SCREENSHOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../docs/debug-overlay.png');

interface PageWindow { segments: Segments; violations: string[]; segletErrors: string[] }

const fx = useChromium(startDebugServer, async ({ server, browser }) => {
  // Every test starts from a first visit: no database, no snapshot.
  await forgetOrigin(browser, `${server.base}/facade-other.html`);
  server.requests.length = 0;
});

async function open(path: string): Promise<{ page: Page; errors: Error[] }> {
  const page = await fx.browser.context.newPage();
  fx.pages.push(page);
  await page.setViewportSize({ width: 900, height: 760 });
  const errors: Error[] = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.addInitScript(() => {
    (window as unknown as PageWindow).violations = [];
    document.addEventListener('securitypolicyviolation', (e) => (window as unknown as PageWindow).violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
    // Every error the SDK reports: an overlay that loads and shows must report none.
    (window as unknown as PageWindow).segletErrors = [];
    addEventListener('seglet:error', (e) => (window as unknown as PageWindow).segletErrors.push((e as CustomEvent<{ message: string }>).detail.message));
  });
  await page.goto(`${fx.server.base}${path}`);
  await page.evaluate(() => (window as unknown as PageWindow).segments.ready);
  return { page, errors };
}

/** The overlay's text, read through its shadow root (polled: `waitForFunction` needs eval, which a strict CSP refuses). */
const overlayText = (page: Page): Promise<string> =>
  page.evaluate(() => document.querySelector('seglet-debug')?.shadowRoot?.textContent ?? '');

describe('debug overlay in Chromium', () => {
  it('?seglet_debug loads the overlay file, which shows memberships and live values and follows new events', async () => {
    const { page, errors } = await open('/debug.html?seglet_debug');
    await expect.poll(() => overlayText(page), { timeout: 10_000 }).toContain('Memberships (1)');
    expect(fx.server.requests).toContain('/build/seglet-debug.min.js');
    expect(await overlayText(page)).toContain('count of page_view within 24h = 1; needs gte 3');
    // Its load event came after the overlay mounted: not reported as another file.
    await page.waitForLoadState('load');
    expect(await page.evaluate(() => (window as unknown as PageWindow).segletErrors)).toEqual([]);

    await page.evaluate(() => {
      const { segments } = window as unknown as PageWindow;
      segments.track('add_to_cart', { item_id: 'sku-1', value: 49 });
      segments.track('add_to_cart', { item_id: 'sku-2', value: 10 });
    });
    await expect.poll(() => overlayText(page), { timeout: 10_000 }).toContain('Memberships (2)');
    const text = await overlayText(page);
    expect(text).toContain('viewer, buyer');
    expect(text).toContain('sum of value of add_to_cart = 59; needs gte 100');
    expect(text).toContain('count of add_to_cart = 2; needs gte 2');
    expect(text).toMatch(/add_to_cart \{"item_id":"sku-2","value":10\}/);
    // The cart is abandoned in 30 minutes: that is the next change. Its time carries the date
    // exactly when that is another day (a run in the last half hour before midnight).
    const tomorrow = await page.evaluate(() => new Date(Date.now() + 30 * 60_000).toDateString() !== new Date().toDateString());
    expect(text).toMatch(tomorrow ? /next change: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(in (29m 5\ds|30m 0s)\)/ : /next change: \d\d:\d\d:\d\d \(in (29m 5\ds|30m 0s)\)/);

    // The page's hostile CSS did not reach in: the panel has its own font, colours and layout.
    const look = await page.evaluate(() => {
      const panel = document.querySelector('seglet-debug')!.shadowRoot!.querySelector('.panel')!;
      const style = getComputedStyle(panel);
      const box = panel.getBoundingClientRect();
      return { font: style.fontFamily, color: style.color, display: style.display, width: box.width, right: innerWidth - box.right };
    });
    expect(look.font).toContain('monospace');
    expect(look.color).toBe('rgb(232, 232, 232)');
    expect(look.display).toBe('flex');
    expect(look.width).toBeGreaterThan(300);
    expect(look.right).toBe(12);

    const png = await page.locator('seglet-debug').screenshot();
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    if (process.env['SEGLET_SCREENSHOT']) writeFileSync(SCREENSHOT, png);

    // Keyboard: Escape inside the overlay closes it; the page keeps running.
    await page.locator('seglet-debug button[aria-label^="Close"]').focus();
    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => document.querySelector('seglet-debug'))).toBeNull();
    expect(await page.evaluate(() => (window as unknown as PageWindow).segments.has('buyer'))).toBe(true);
    expect(errors).toEqual([]);
  });

  it('is attached to <html>: a transformed, clipped body does not move or hide it', async () => {
    // Under the body, the body became its containing block: the panel sat in the body's 320x120
    // box, cut off by its overflow (found by the debug overlay audit).
    const { page, errors } = await open('/debug-layout.html');
    await expect.poll(() => overlayText(page), { timeout: 10_000 }).toContain('Memberships (1)');
    const where = await page.evaluate(() => {
      const host = document.querySelector('seglet-debug')!;
      const box = host.shadowRoot!.querySelector('.panel')!.getBoundingClientRect();
      return { parent: host.parentElement!.localName, right: innerWidth - box.right, bottom: innerHeight - box.bottom, height: box.height };
    });
    expect(where).toEqual({ parent: 'html', right: 12, bottom: 12, height: where.height });
    expect(where.height).toBeGreaterThan(150);
    expect(errors).toEqual([]);
  });

  it('stays left-to-right on a right-to-left page', async () => {
    // `all: initial` does not reset direction: on <html dir="rtl"> the panel was mirrored, its
    // buttons on the left and the explain tree's lines right-aligned (found by the debug overlay audit).
    const { page, errors } = await open('/debug-rtl.html');
    await expect.poll(() => overlayText(page), { timeout: 10_000 }).toContain('Memberships (1)');
    const look = await page.evaluate(() => {
      const shadow = document.querySelector('seglet-debug')!.shadowRoot!;
      const left = (selector: string): number => shadow.querySelector(selector)!.getBoundingClientRect().left;
      return {
        dir: document.querySelector('seglet-debug')!.getAttribute('dir'),
        direction: getComputedStyle(shadow.querySelector('.panel')!).direction,
        titleFirst: left('h2') < left('button'),
        treeFromLeft: left('.tree .mark') - left('.body') < 30,
      };
    });
    expect(look).toEqual({ dir: 'ltr', direction: 'ltr', titleFirst: true, treeFromLeft: true });
    expect(errors).toEqual([]);
  });

  it('clicks on the overlay are not recorded as clicks on the site', async () => {
    // With clicks: 'all' its collapse, close and segment rows were recorded as the visitor's
    // button clicks (found by the debug overlay audit).
    const { page, errors } = await open('/debug-clicks.html');
    await expect.poll(() => overlayText(page), { timeout: 10_000 }).toContain('Segments (1)');
    await page.locator('seglet-debug summary').first().click();
    await page.locator('seglet-debug button[aria-label^="Collapse"]').click();
    await page.locator('seglet-debug button[aria-label^="Expand"]').click();
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => (window as unknown as PageWindow).segments.has('clicked'))).toBe(false);
    expect(await overlayText(page)).toContain('no events yet');
    // The page's own buttons still are.
    await page.click('#buy');
    await expect.poll(() => page.evaluate(() => (window as unknown as PageWindow).segments.has('clicked'))).toBe(true);
    await page.locator('seglet-debug button[aria-label^="Close"]').click();
    expect(await page.evaluate(() => (window as unknown as PageWindow).segments.explain('clicked')?.condition.text)).toBe('count of click = 1; needs gte 1');
    expect(errors).toEqual([]);
  });

  it('a seglet-debug.min.js that does not load (404, network), or another file at its URL, is reported, as a failed vitals file is', async () => {
    // Nothing said why ?seglet_debug showed nothing: no seglet:error, no console warning.
    for (const fail of ['404', 'network', 'other file'] as const) {
      const page = await fx.browser.context.newPage();
      fx.pages.push(page);
      const errors: Error[] = [];
      page.on('pageerror', (e) => errors.push(e));
      await page.addInitScript(() => {
        const w = window as unknown as PageWindow & { reported: unknown[] };
        w.reported = [];
        addEventListener('seglet:error', (e) => {
          const error = (e as CustomEvent<{ code: string; message: string; issues?: { path: string }[] }>).detail;
          w.reported.push({ code: error.code, message: error.message, path: error.issues?.[0]?.path });
        });
      });
      // Another file served at that URL with a 200 (a host's fallback page, a stale build) loads and shows nothing.
      await page.route('**/build/seglet-debug.min.js', (route) => (fail === '404' ? route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' })
        : fail === 'other file' ? route.fulfill({ status: 200, contentType: 'text/javascript', body: 'window.otherFile = true;' }) : route.abort()));
      await page.goto(`${fx.server.base}/debug.html?seglet_debug`);
      await expect.poll(() => page.evaluate(() => (window as unknown as { reported: unknown[] }).reported), { timeout: 10_000 }).toEqual([
        { code: 'collector_failed', message: `seglet: seglet-debug.min.js ${fail === 'other file' ? 'loaded but showed no overlay (another file at that URL?)' : 'did not load'}`, path: '/debug' },
      ]);
      // The page goes on: its page view makes it a viewer once the SDK is ready (the report may come first).
      await expect.poll(() => page.evaluate(() => (window as unknown as PageWindow).segments.has('viewer')), { timeout: 10_000 }).toBe(true);
      expect(errors).toEqual([]);
    }
  });

  it('without the flag the overlay file is never requested', async () => {
    const { page, errors } = await open('/debug.html');
    await page.evaluate(() => (window as unknown as PageWindow).segments.track('add_to_cart', { value: 1 }));
    await page.waitForTimeout(300);
    expect(fx.server.requests).toContain('/build/seglet.min.js');
    expect(fx.server.requests.filter((p) => p.includes('debug.min'))).toEqual([]);
    expect(await page.evaluate(() => document.querySelector('seglet-debug'))).toBeNull();
    expect(errors).toEqual([]);
  });

  it('included by hand before seglet.min.js (even async), the overlay waits for the instance', async () => {
    const { page, errors } = await open('/debug-first.html');
    await expect.poll(() => overlayText(page), { timeout: 10_000 }).toContain('Memberships (1)');
    expect(errors).toEqual([]);
  });

  it('loads under script-src and style-src self with Trusted Types enforced, through its own policy', async () => {
    const { page, errors } = await open('/debug-csp.html?seglet_debug');
    await expect.poll(() => overlayText(page), { timeout: 10_000 }).toContain('Memberships (1)');
    expect(await overlayText(page)).toContain('count of page_view within 24h = 1; needs gte 3');
    // The constructed stylesheet applies where an inline <style> would be refused.
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('seglet-debug')!.shadowRoot!.querySelector('.panel')!).display)).toBe('flex');
    // The URL goes through seglet's policy before it reaches the sink: no report at all.
    expect(await page.evaluate(() => (window as unknown as PageWindow).violations)).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as PageWindow).segletErrors)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
