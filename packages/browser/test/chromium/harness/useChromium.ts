import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium } from './launchChromium.js';

type Chromium = Awaited<ReturnType<typeof launchChromium>>;

/** A test file's loopback server and Chromium, both there from its first test to its last. */
export interface ChromiumFixture<S> {
  readonly server: S;
  readonly browser: Chromium;
  /** Pages a test opened: closed when it ends. */
  readonly pages: Page[];
}

/**
 * The hooks of a Chromium test file: the server and the browser start together before its tests,
 * each test's pages close after it (then `afterEachTest` runs), and both close at the end.
 */
export function useChromium<S extends { close(): Promise<void> }>(
  start: () => Promise<S>,
  afterEachTest?: (fixture: ChromiumFixture<S>) => Promise<void>,
): ChromiumFixture<S> {
  const fixture = { pages: [] as Page[] } as { server: S; browser: Chromium; pages: Page[] };
  beforeAll(async () => {
    [fixture.server, fixture.browser] = await Promise.all([start(), launchChromium()]);
  });
  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.server?.close();
  });
  afterEach(async () => {
    await Promise.all(fixture.pages.splice(0).map((p) => p.close()));
    await afterEachTest?.(fixture);
  });
  return fixture;
}

/** Back to a first visit of the origin of `url`: no database, no local or session storage, no cookie. */
export async function forgetOrigin(browser: Chromium, url: string): Promise<void> {
  const page = await browser.context.newPage();
  await page.goto(url);
  await page.evaluate(async () => {
    localStorage.clear();
    sessionStorage.clear();
    // seglet's own and any other a test made (a filler taking the quota).
    const names = new Set(['seglet', ...(await indexedDB.databases()).map((d) => d.name ?? '')]);
    await Promise.all([...names].filter(Boolean).map((name) => new Promise((done) => {
      const req = indexedDB.deleteDatabase(name);
      req.onsuccess = req.onerror = req.onblocked = done;
    })));
  });
  await browser.context.clearCookies();
  await page.close();
}
