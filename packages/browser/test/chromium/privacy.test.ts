import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Segments } from '../../src/types.js';
import { forgetPageUrl, pause, segmentsReady, useCollectorE2e, webTraces } from './harness/collectorE2e.js';

// Privacy invariants of runtime.md section 7 (consent, forget, beacons) attacked with the script
// tag in real Chromium against the real collector. The relay in front of the collector sees every
// request the browser makes, sendBeacon in pagehide included.

const e2e = useCollectorE2e('seglet-privacy-e2e-');
const { members, storedFacade } = e2e;
const seg = (page: Page) => ({
  track: (n: number) => page.evaluate(async (k) => {
    for (let i = 0; i < k; i++) (window.segments as Segments).track('add_to_cart');
    await (window.segments as Segments).flush();
  }, n),
  members: () => page.evaluate(() => (window.segments as Segments).members().sort()),
});
const url = (opts?: Parameters<typeof forgetPageUrl>[2]): string => forgetPageUrl(e2e.origin, e2e.beaconUrl, opts);
const away = (): string => `${e2e.origin}/beacon-away.html`;

const opened: Page[] = [];
async function open(): Promise<Page> {
  const page = await e2e.context.newPage();
  opened.push(page);
  return page;
}
/** Every page closed, then the origin's seglet data deleted: each test starts as a first visit. */
afterEach(async () => {
  await Promise.all(opened.splice(0).map((p) => p.close()));
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
});

/** A granted visit that tracked `n` add_to_cart and whose memberships reached the collector: its anonymous id. */
async function visited(page: Page, n: number, opts?: Parameters<typeof forgetPageUrl>[2]): Promise<string> {
  await page.goto(url(opts));
  await segmentsReady(page);
  await seg(page).track(n);
  const anon = (await storedFacade(page))!.anon as string;
  expect(anon).toMatch(/^[\w-]{8,}$/);
  const want = ['f-cart', 'f-buyer', 'f-three'].slice(0, n).sort();
  await expect.poll(() => members(anon), { timeout: 10_000, interval: 100 }).toEqual(want);
  return anon;
}

describe('privacy in Chromium against the real collector', () => {
  it("consent('denied') in tab A while tab B has a change waiting for the beacon: B sends nothing, on its timer or at pagehide, and keeps nothing", async () => {
    const [a, b] = [await open(), await open()];
    const anon = await visited(a, 1, { cookie: true });
    await b.goto(url({ cookie: true }));
    await segmentsReady(b);
    expect((await webTraces(b)).cookies).toEqual(['seglet_m=f-cart']);
    const at = e2e.received.length;
    // B enters f-buyer (its beacon waits the coalescing second), and A's visitor says no.
    await b.evaluate(() => { (window.segments as Segments).track('add_to_cart'); });
    await a.evaluate(() => { (window.segments as Segments).consent('denied'); });
    await pause(1500);
    await seg(b).track(1);
    expect(await seg(b).members()).toEqual(['f-buyer', 'f-cart', 'f-three']);
    // B goes away: pagehide hands nothing to sendBeacon.
    await Promise.all([b.waitForURL('**/beacon-away.html'), b.evaluate(() => { location.href = '/beacon-away.html'; })]);
    await pause(300);
    expect(e2e.received.slice(at)).toEqual([]);
    expect(await storedFacade(b)).toEqual({ anon: undefined, events: [], queue: [] });
    expect(await webTraces(b)).toEqual({ local: {}, session: {}, cookies: [] });
    expect(await members(anon)).toEqual(['f-cart']);
  });

  for (const consent of ['pending'] as const) {
    it(`a first visit with consent ${consent} writes nothing anywhere and sends nothing`, async () => {
      const page = await open();
      const at = e2e.received.length;
      await page.goto(url({ consent, cookie: true }));
      await segmentsReady(page);
      await seg(page).track(2);
      expect(await seg(page).members()).toEqual(['f-buyer', 'f-cart']);
      await pause(300);
      const databases = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
      const traces = await webTraces(page);
      console.info(`privacy first visit ${consent}: databases ${JSON.stringify(databases)}, traces ${JSON.stringify(traces)}`);
      expect(databases).not.toContain('seglet');
      expect(traces).toEqual({ local: {}, session: {}, cookies: [] });
      expect(e2e.received.slice(at)).toEqual([]);
    });
  }
});
