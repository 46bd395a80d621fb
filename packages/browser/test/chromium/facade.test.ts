import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromium, type Page } from 'playwright-core';
import type { Segments } from '../../src/types.js';
import { startFacadeServer } from './fixtures/facadeServer.js';
import { CHROMIUM, CHROMIUM_FLAGS } from './harness/launchChromium.js';
import { forgetOrigin, useChromium } from './harness/useChromium.js';

/** What the facade pages put on `window`. */
interface PageWindow {
  segments: Segments & { push(...calls: unknown[]): number };
  frames_: { promo: string; fallback: string; hero: string }[];
  early: { has: boolean; members: string[]; explain: unknown };
  pageshows: boolean[];
  log: string[];
  errors: string[];
  marker?: number;
  entered?: number;
  pwned?: number;
  violations: string[];
}
// Page functions are serialised into the page, so they name `window` with this cast rather than a helper.

const fx = useChromium(startFacadeServer, async ({ server, browser }) => {
  // Every test starts from a first visit: no database, no snapshot, no cookie.
  await forgetOrigin(browser, `${server.base}/facade-other.html`);
});

async function open(path = '/facade.html'): Promise<Page> {
  const page = await fx.browser.context.newPage();
  fx.pages.push(page);
  page.on('pageerror', (e) => { throw e; });
  await page.goto(`${fx.server.base}${path}`);
  await page.evaluate(() => (window as unknown as PageWindow).segments.ready);
  return page;
}
/** Count of `type` in the page's engine, through explain() of a segment that counts it. */
const count = (page: Page, segment: 'carts' | 'views'): Promise<unknown> =>
  page.evaluate((id) => (window as unknown as PageWindow).segments.explain(id)?.condition.value, segment);

describe('createSegments in Chromium', () => {
  it('restores history across a reload, with memberships answered before ready and no flicker', async () => {
    const page = await open();
    expect(await page.evaluate(() => (window as unknown as PageWindow).frames_[0])).toEqual({ promo: 'hidden', fallback: 'shown', hero: 'original' });
    await page.evaluate(async () => {
      (window as unknown as PageWindow).segments.track('add_to_cart', { item_id: 'sku-1', value: 49 });
      (window as unknown as PageWindow).segments.track('add_to_cart', { item_id: 'sku-2', value: 10 });
      await (window as unknown as PageWindow).segments.flush();
    });
    expect(await page.evaluate(() => (window as unknown as PageWindow).segments.has('buyer'))).toBe(true);
    // The swap follows the change at once.
    expect(await page.evaluate(() => [document.getElementById('promo')!.hidden, !!document.getElementById('filled')])).toEqual([false, true]);

    await page.reload();
    // Before ready: the snapshot answered on the script's first line, and the very first frame was personalised.
    expect(await page.evaluate(() => ({ has: (window as unknown as PageWindow).early.has, explain: (window as unknown as PageWindow).early.explain }))).toEqual({ has: true, explain: null });
    const frames = await page.evaluate(async () => {
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return (window as unknown as PageWindow).frames_;
    });
    expect(frames.length).toBeGreaterThan(0);
    for (const frame of frames) expect(frame).toEqual({ promo: 'shown', fallback: 'hidden', hero: 'filled' });
    await page.evaluate(() => (window as unknown as PageWindow).segments.ready);
    expect(await count(page, 'carts')).toBe(2);
    expect(await count(page, 'views')).toBe(2);
  });

  for (const how of ['forget', 'denied'] as const) {
    it(`erases everything when the page goes away right after ${how === 'forget' ? 'forget()' : "consent('denied')"}`, async () => {
      const page = await open();
      for (let round = 0; round < 4; round++) {
        await page.evaluate(async () => {
          (window as unknown as PageWindow).segments.track('add_to_cart');
          (window as unknown as PageWindow).segments.track('add_to_cart');
          await (window as unknown as PageWindow).segments.flush();
        });
        expect(await count(page, 'carts')).toBe(2);
        // Not awaited: the host navigates in the same task, as a "delete my data" form would.
        await Promise.all([
          page.waitForNavigation(),
          page.evaluate((w) => {
            if (w === 'forget') void (window as unknown as PageWindow).segments.forget();
            else (window as unknown as PageWindow).segments.consent('denied');
            location.reload();
          }, how),
        ]);
        await page.evaluate(() => (window as unknown as PageWindow).segments.ready);
        expect(await count(page, 'carts'), `round ${round}`).toBe(0);
      }
    });
  }

  it('shows a returning member the personalised page in the first screenshot after navigation', async () => {
    const first = await open();
    await first.evaluate(async () => {
      (window as unknown as PageWindow).segments.track('add_to_cart');
      (window as unknown as PageWindow).segments.track('add_to_cart');
      await (window as unknown as PageWindow).segments.flush();
    });
    const page = await fx.browser.context.newPage();
    fx.pages.push(page);
    await page.goto(`${fx.server.base}/facade.html`, { waitUntil: 'domcontentloaded' });
    const shot = await page.screenshot({ clip: { x: 0, y: 0, width: 400, height: 260 } });
    expect(await page.evaluate(() => (window as unknown as PageWindow).frames_[0])).toEqual({ promo: 'shown', fallback: 'hidden', hero: 'filled' });
    // The red promo block is painted and the blue fallback is not, in that first screenshot.
    const colours = await page.evaluate(async (png) => {
      const img = new Image();
      img.src = `data:image/png;base64,${png}`;
      await img.decode();
      const canvas = new OffscreenCanvas(img.width, img.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, img.width, img.height).data;
      let red = 0;
      let blue = 0;
      for (let i = 0; i < data.length; i += 4) {
        // #c00 and #00c exactly (the link's #00e blue is not the fallback).
        if (Math.abs(data[i]! - 204) < 8 && data[i + 1]! < 8 && data[i + 2]! < 8) red++;
        if (Math.abs(data[i + 2]! - 204) < 8 && data[i]! < 8 && data[i + 1]! < 8) blue++;
      }
      return { red, blue };
    }, shot.toString('base64'));
    expect(colours.red).toBeGreaterThan(1000);
    expect(colours.blue).toBe(0);
  });

  it('works under script-src self and Trusted Types with zero violations; hostile props never run', async () => {
    const page = await fx.browser.context.newPage();
    fx.pages.push(page);
    const consoleErrors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    await page.addInitScript(() => {
      (window as unknown as { violations: string[] }).violations = [];
      document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { violations: string[] }).violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const response = await page.goto(`${fx.server.base}/facade-csp.html`);
    expect(response?.headers()['content-security-policy']).toContain("require-trusted-types-for 'script'");
    await page.evaluate(() => (window as unknown as PageWindow).segments.ready);
    const hostile = '<img src=x onerror="window.pwned=1">';
    await page.evaluate(async (h) => {
      (window as unknown as PageWindow).segments.track('add_to_cart', { item_id: h, value: 1 });
      (window as unknown as PageWindow).segments.track('add_to_cart', { item_id: `"><script>window.pwned=2</script>`, value: 1 });
      (window as unknown as PageWindow).segments.setContext({ campaign: h });
      document.querySelector('button')!.click();
      await (window as unknown as PageWindow).segments.flush();
    }, hostile);
    expect(await page.evaluate(() => [(window as unknown as PageWindow).segments.has('buyer'), !!document.getElementById('filled')])).toEqual([true, true]);
    await page.reload();
    await page.evaluate(() => (window as unknown as PageWindow).segments.ready);
    await page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
    expect(await page.evaluate(() => document.getElementById('filled')?.textContent)).toBe('buyer hero');
    expect(await page.evaluate(() => (window as unknown as PageWindow).violations)).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as PageWindow).pwned)).toBeUndefined();
    expect(await page.evaluate(() => document.querySelectorAll('img').length)).toBe(0);
    expect(consoleErrors).toEqual([]);
  });

  it('a back/forward-cache restore re-arms without a second page view', async () => {
    // Playwright turns the back/forward cache off by default; this browser keeps it on.
    const dir = mkdtempSync(join(tmpdir(), 'seglet-bfcache-'));
    const context = await chromium.launchPersistentContext(dir, {
      executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, ignoreDefaultArgs: ['--disable-back-forward-cache'],
    });
    try {
      const page = await context.newPage();
      await page.goto(`${fx.server.base}/facade.html`);
      await page.evaluate(() => (window as unknown as PageWindow).segments.ready);
      await page.evaluate(() => { (window as unknown as PageWindow).marker = 42; });
      await page.click('#away');
      await page.waitForURL('**/facade-other.html');
      // A restored page fires no load event: wait for the commit only.
      await page.goBack({ waitUntil: 'commit' });
      await page.waitForFunction(() => (window as unknown as PageWindow).pageshows?.length === 2);
      const state = await page.evaluate(() => ({ marker: (window as unknown as PageWindow).marker, pageshows: (window as unknown as PageWindow).pageshows }));
      // The page came back from the cache (same JS heap), not as a new load.
      expect(state).toEqual({ marker: 42, pageshows: [false, true] });
      await page.evaluate(() => (window as unknown as PageWindow).segments.flush());
      expect(await count(page, 'views')).toBe(1);
      // Still alive after the restore: tracking and timers work.
      await page.evaluate(() => (window as unknown as PageWindow).segments.track('add_to_cart'));
      expect(await count(page, 'carts')).toBe(1);
      await page.reload();
      await page.evaluate(() => (window as unknown as PageWindow).segments.ready);
      expect([await count(page, 'views'), await count(page, 'carts')]).toEqual([2, 1]);
    } finally {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('two tabs tracking interleaved events end with exact counts in both engines', async () => {
    const [a, b] = [await open(), await open()];
    await Promise.all([a, b].map((p, tab) => p.evaluate(async (n) => {
      for (let i = 0; i < 30; i++) {
        for (let k = 0; k <= i % 3; k++) (window as unknown as PageWindow).segments.track('add_to_cart', { item_id: `t${n}-${i}-${k}`, value: 1 });
        await new Promise((r) => setTimeout(r, (i * 7 + n * 3) % 5));
      }
      await (window as unknown as PageWindow).segments.flush();
    }, tab)));
    // Each tab tracked (i % 3) + 1 events at step i: 10 * (1 + 2 + 3) = 60, so 120 in all.
    await a.waitForFunction(() => (window as unknown as PageWindow).segments.explain('carts')?.condition.value === 120);
    await b.waitForFunction(() => (window as unknown as PageWindow).segments.explain('carts')?.condition.value === 120);
    await a.evaluate(() => new Promise((r) => setTimeout(r, 200)));
    expect([await count(a, 'carts'), await count(b, 'carts')]).toEqual([120, 120]);
    expect([await count(a, 'views'), await count(b, 'views')]).toEqual([2, 2]);
    // The store holds every event exactly once: a reload counts the same.
    await a.reload();
    await a.evaluate(() => (window as unknown as PageWindow).segments.ready);
    expect(await count(a, 'carts')).toBe(120);
  });

  it('fires a time-driven enter (abandoned after 2 s) while the page is open', async () => {
    const page = await open();
    const started = await page.evaluate(() => {
      const at = Date.now();
      (window as unknown as PageWindow).segments.on('abandoner', () => { (window as unknown as PageWindow).entered = Date.now(); });
      (window as unknown as PageWindow).segments.track('add_to_cart');
      return at;
    });
    await page.waitForFunction(() => (window as unknown as PageWindow).entered !== undefined, undefined, { timeout: 10_000 });
    const entered = await page.evaluate(() => (window as unknown as PageWindow).entered!);
    expect(entered - started).toBeGreaterThanOrEqual(2000);
    expect(entered - started).toBeLessThan(3500);
    expect(await page.evaluate(() => (window as unknown as PageWindow).segments.has('abandoner'))).toBe(true);
  });

  it('the script tag replays the stub queue with its data-* options and creates window.segments', async () => {
    const page = await fx.browser.context.newPage();
    fx.pages.push(page);
    const warnings: string[] = [];
    page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
    await page.goto(`${fx.server.base}/facade-stub.html`);
    await page.waitForFunction(() => (window as unknown as PageWindow).log.some((l) => l.startsWith('ready')));
    const state = await page.evaluate(() => ({
      log: (window as unknown as PageWindow).log, errors: (window as unknown as PageWindow).errors, storage: (window as unknown as PageWindow).segments.storage, isArray: Array.isArray((window as unknown as PageWindow).segments), cookie: document.cookie,
    }));
    expect(state).toEqual({ log: ['enter buyer', 'ready buyer memory'], errors: ['invalid_event'], storage: 'memory', isArray: false, cookie: 'seglet_m=buyer' });
    expect(warnings.filter((t) => t.startsWith('seglet: '))).toHaveLength(1);
    await page.evaluate(() => (window as unknown as PageWindow).segments.push(['track', 'Still Not Valid']));
    expect(await page.evaluate(() => (window as unknown as PageWindow).errors)).toEqual(['invalid_event', 'invalid_event']);
    expect(warnings.filter((t) => t.startsWith('seglet: '))).toHaveLength(1);
  });
});
