import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Segments } from '../../src/types.js';
import { startDebugServer } from './fixtures/debugServer.js';
import { useChromium } from './harness/useChromium.js';

interface PageWindow { segments: Segments; errors: { code: string; path?: string; cause: string }[] }

const fx = useChromium(startDebugServer, async ({ server }) => {
  server.requests.length = 0;
});

async function open(path: string, prepare?: (page: Page) => Promise<unknown>): Promise<{ page: Page; errors: Error[] }> {
  const page = await fx.browser.context.newPage();
  fx.pages.push(page);
  const errors: Error[] = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.addInitScript(() => {
    const w = window as unknown as PageWindow;
    w.errors = [];
    addEventListener('seglet:error', (e) => {
      const error = (e as CustomEvent<{ code: string; issues?: { path: string }[]; cause?: unknown }>).detail;
      w.errors.push({ code: error.code, path: error.issues?.[0]?.path, cause: String(error.cause) });
    });
  });
  await prepare?.(page);
  await page.goto(`${fx.server.base}${path}`);
  await page.evaluate(() => (window as unknown as PageWindow).segments.ready);
  return { page, errors };
}

describe('web vitals from the script tag in Chromium', () => {
  it('data-collect="vitals" fetches seglet-vitals.min.js beside the script and records web_vital events', async () => {
    const { page, errors } = await open('/vitals.html');
    await expect.poll(() => page.evaluate(() => (window as unknown as PageWindow).segments.has('measured')), { timeout: 10_000 }).toBe(true);
    expect(fx.server.requests).toContain('/build/seglet-vitals.min.js');
    expect(errors).toEqual([]);
  });

  it('a seglet-vitals.min.js that loads but hands nothing over is reported, not waited for forever', async () => {
    // A wrong file at that URL (a CDN serving a stale or other build, a blocker's stub) left the
    // collector waiting in silence: no vitals, no error (found by the debug overlay audit).
    const { page, errors } = await open('/vitals.html', (p) => p.route('**/build/seglet-vitals.min.js', (route) => route.fulfill({ contentType: 'text/javascript', body: 'window.somethingElse = 1;' })));
    await expect.poll(() => page.evaluate(() => (window as unknown as PageWindow).errors), { timeout: 10_000 }).toEqual([
      { code: 'collector_failed', path: '/collect/vitals', cause: 'Error: seglet-vitals.min.js loaded but handed nothing over' },
    ]);
    expect(await page.evaluate(() => (window as unknown as PageWindow).segments.has('measured'))).toBe(false);
    expect(errors).toEqual([]);
  });

  it('seglet started again after destroy() does not register web-vitals again: nothing is recorded twice', async () => {
    // The second copy of the script injected seglet-vitals.min.js again, whose observers reported
    // the page's TTFB and FCP once more (buffered) to the new instance (found by the web-vitals audit).
    const { page, errors } = await open('/vitals-again.html');
    const has = (id: string): Promise<boolean> => page.evaluate((s) => (window as unknown as PageWindow).segments.has(s), id);
    await expect.poll(() => has('ttfb'), { timeout: 10_000 }).toBe(true);
    await page.evaluate(async () => {
      const w = window as unknown as PageWindow;
      const first = w.segments;
      first.destroy();
      const tag = document.createElement('script');
      tag.src = '/build/seglet.min.js';
      Object.assign(tag.dataset, { rules: '#seglet-rules', collect: 'vitals', storage: 'memory' });
      document.head.append(tag);
      await new Promise((r) => tag.addEventListener('load', r));
      await w.segments.ready;
      if (w.segments === first) throw new Error('no new instance');
    });
    await page.waitForTimeout(500);
    expect(fx.server.requests.filter((p) => p.endsWith('seglet-vitals.min.js'))).toHaveLength(1);
    expect(await has('ttfb')).toBe(false);
    // The new instance hears the metrics reported from now on: LCP, final at the first input.
    await page.click('h1');
    await expect.poll(() => has('lcp'), { timeout: 10_000 }).toBe(true);
    expect(await page.evaluate(() => (window as unknown as PageWindow).errors)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('without vitals in data-collect the file is never requested', async () => {
    const { errors } = await open('/debug.html');
    expect(fx.server.requests).toContain('/build/seglet.min.js');
    expect(fx.server.requests.filter((p) => p.includes('vitals'))).toEqual([]);
    expect(errors).toEqual([]);
  });
});
