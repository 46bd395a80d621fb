import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Segments } from '../../src/types.js';
import { startDebugServer } from './fixtures/debugServer.js';
import { useChromium } from './harness/useChromium.js';

interface PageWindow { segments: Segments }

const fx = useChromium(startDebugServer, async ({ server }) => {
  server.requests.length = 0;
});

async function open(path: string): Promise<{ page: Page; errors: Error[] }> {
  const page = await fx.browser.context.newPage();
  fx.pages.push(page);
  const errors: Error[] = [];
  page.on('pageerror', (e) => errors.push(e));
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

  it('without vitals in data-collect the file is never requested', async () => {
    const { errors } = await open('/debug.html');
    expect(fx.server.requests).toContain('/build/seglet.min.js');
    expect(fx.server.requests.filter((p) => p.includes('vitals'))).toEqual([]);
    expect(errors).toEqual([]);
  });
});
