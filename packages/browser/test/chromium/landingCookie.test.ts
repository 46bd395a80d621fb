import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { readLanding } from '../../../edge/src/readLanding.js';
import type { Segments } from '../../src/types.js';
import { startFacadeServer } from './fixtures/facadeServer.js';
import { forgetOrigin, useChromium } from './harness/useChromium.js';

const fx = useChromium(() => startFacadeServer(), async ({ server, browser }) => {
  await forgetOrigin(browser, `${server.base}/facade-other.html`);
});

const rules = { version: 1, segments: { 'src-a': { when: { context: 'utm_source', eq: 'a' } }, 'src-b': { when: { context: 'utm_source', eq: 'b' } }, 'src-new': { when: { context: 'utm_source', eq: 'new' } } } };
const href = (extra: Record<string, string> = {}, set: object = rules): string => {
  const q = new URLSearchParams({ rules: JSON.stringify(set), collect: 'none', cookie: 'true', ...extra });
  return `${fx.server.base}/lifecycle.html?${q.toString()}`;
};
async function go(page: Page, to: string): Promise<void> {
  await page.goto(to);
  await page.evaluate(() => (window as unknown as { segments: Segments }).segments.ready.then(() => undefined));
}
const members = (page: Page): Promise<string[]> => page.evaluate(() => (window as unknown as { segments: Segments }).segments.members());
/** What the edge decides for a request to `to` carrying this page's cookies. */
async function edgeSource(page: Page, to: string): Promise<string | null> {
  const cookie = await page.evaluate(() => document.cookie);
  return readLanding(new URL(to), cookie, `${fx.server.base}/prev`).utm_source;
}

describe('seglet_c in Chromium: the page and the edge agree', () => {
  it('a long non-ASCII utm_campaign: seglet_c is rewritten (not left with the previous campaign)', async () => {
    const page = await fx.browser.context.newPage();
    fx.pages.push(page);
    await go(page, href({ utm_source: 'a' }));
    expect(await members(page)).toEqual(['src-a']);
    // Same tab, a new campaign with a 300-character Japanese name (well under the 512 cut): encoded
    // twice it passed the browser's 4,096 bytes, was refused, and the previous campaign stayed.
    await go(page, href({ utm_source: 'new', utm_campaign: '夏'.repeat(300) }));
    expect(await members(page)).toEqual(['src-new']);
    const next = href();
    // The next request of this tab, as the edge reads it:
    expect(await edgeSource(page, next)).toBe('new');
  });

  it('two tabs with different campaigns: the page and the edge agree for the next page of tab A', async () => {
    const a = await fx.browser.context.newPage();
    fx.pages.push(a);
    await go(a, href({ utm_source: 'a' }));
    const b = await fx.browser.context.newPage();
    fx.pages.push(b);
    await go(b, href({ utm_source: 'b' }));
    // seglet_c now holds B's campaign; the edge reads it for A's next page, and A took its own.
    const next = href();
    const edge = await edgeSource(a, next);
    expect(edge).toBe('b');
    await go(a, next);
    expect(await members(a)).toEqual([`src-${edge}`]);
  });

  it('after a session timeout without activity, the edge and the next page both start a new landing', async () => {
    // seglet_c was a session cookie: the browser saw the session over and took the new page's
    // landing, while the edge still painted the old campaign from the cookie, for hours.
    const short = { ...rules, session: { timeout: '2s' } };
    const a = await fx.browser.context.newPage();
    fx.pages.push(a);
    await go(a, href({ utm_source: 'a' }, short));
    expect(await members(a)).toEqual(['src-a']);
    const next = href({}, short);
    // Within the session, the next page and the edge keep the campaign.
    expect(await edgeSource(a, next)).toBe('a');
    await go(a, next);
    expect(await members(a)).toEqual(['src-a']);
    await a.waitForTimeout(2500);
    expect(await edgeSource(a, next)).toBeNull();
    await go(a, next);
    expect(await members(a)).toEqual([]);
  });
});
