import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Segments } from '../../../src/types.js';
import { forgetPageUrl, segmentsReady, type useCollectorE2e } from './collectorE2e.js';

type E2e = ReturnType<typeof useCollectorE2e>;

/**
 * What the privacy tests (privacy.test.ts, multiTabPrivacy.test.ts) do to pages and ask of the
 * collector: the script-tag page's URL, a granted visit, the beacons seen per anonymous id, and
 * the reset that lets each test start as a first visit.
 */
export function privacyProbes(e2e: E2e) {
  const url = (opts?: Parameters<typeof forgetPageUrl>[2]): string => forgetPageUrl(e2e.origin, e2e.beaconUrl, opts);
  const away = (): string => `${e2e.origin}/beacon-away.html`;
  const seg = (page: Page) => ({
    track: (n: number) => page.evaluate(async (k) => {
      for (let i = 0; i < k; i++) (window.segments as Segments).track('add_to_cart');
      await (window.segments as Segments).flush();
    }, n),
    members: () => page.evaluate(() => (window.segments as Segments).members().sort()),
  });
  return {
    url, away, seg,
    nonForget: (anon: string, from: number) => e2e.receivedFor(anon, from).filter((r) => r.body.forget !== true),
    forgets: (anon: string, from: number) => e2e.receivedFor(anon, from).filter((r) => r.body.forget === true),
    /** The origin's seglet data deleted (and the collector back up): the next test starts as a first visit. */
    async resetOrigin(): Promise<void> {
      const page = await e2e.context.newPage();
      await page.goto(away());
      await page.evaluate(() => new Promise<void>((done) => {
        localStorage.clear();
        sessionStorage.clear();
        for (const c of document.cookie.split(';')) document.cookie = `${c.split('=')[0]!.trim()}=; Max-Age=0; Path=/`;
        const del = indexedDB.deleteDatabase('seglet');
        del.onsuccess = del.onerror = del.onblocked = () => done();
      }));
      await page.close();
      if (!e2e.collectorUrl || !(await fetch(`${e2e.collectorUrl}/healthz`).then((r) => r.ok, () => false))) await e2e.startCollector();
    },
    /** A granted visit that tracked `n` add_to_cart, its memberships acknowledged by the collector: its anonymous id. */
    async visited(page: Page, n: number, opts?: Parameters<typeof forgetPageUrl>[2]): Promise<string> {
      await page.goto(url(opts));
      await segmentsReady(page);
      await seg(page).track(n);
      const anon = (await e2e.storedFacade(page))!.anon as string;
      expect(anon).toMatch(/^[\w-]{8,}$/);
      const want = ['f-cart', 'f-buyer', 'f-three'].slice(0, n).sort();
      await expect.poll(() => e2e.members(anon), { timeout: 10_000, interval: 100 }).toEqual(want);
      return anon;
    },
  };
}
