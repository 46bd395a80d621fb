import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Segments } from '../../src/types.js';
import type { BeaconPage } from './fixtures/beaconEntry.js';
import { forgetPageUrl as forgetPage, holdStoreLock, pause, releaseStoreLock, segmentsReady, useCollectorE2e } from './harness/collectorE2e.js';

declare global {
  interface Window {
    t: BeaconPage;
  }
}

const e2e = useCollectorE2e('seglet-beacon-e2e-');
const { members, segmentCounts, storedFacade, startCollector, stopCollector, wire } = e2e;

const pageUrl = (q: Record<string, string>): string => `${e2e.origin}/beacon-page.html?${new URLSearchParams({ url: e2e.beaconUrl, ...q })}`;
/** Waits until the page's beacon has loaded its state (flush awaits it), so pagehide has a base to diff. */
const settled = (page: Page): Promise<void> => page.evaluate(() => window.t.beacon.flush());
const storedQueue = (page: Page): Promise<number> => page.evaluate(async () => ((await window.t.store.getMeta<{ queue: unknown[] }>('beacon'))?.queue.length ?? -1));
/** The script tag (`/build/seglet.js`) beaconing to the collector; its rules: `f-cart` from one `add_to_cart`, `f-buyer` from two. */
const forgetPageUrl = (): string => forgetPage(e2e.origin, e2e.beaconUrl);

/** Three tabs of one profile, their beacons loaded, each told the memberships `[segment]`. */
async function threeTabsChanged(anon: string, db: string, segment: string): Promise<Page[]> {
  const pages = await Promise.all([0, 1, 2].map(() => e2e.context.newPage()));
  await Promise.all(pages.map((p) => p.goto(pageUrl({ anon, db }))));
  await Promise.all(pages.map(settled));
  await Promise.all(pages.map((p) => p.evaluate((s) => window.t.beacon.update([s]), segment)));
  return pages;
}

describe('beacon against the real collector', () => {
  it('delivers a segment entered right before navigating away, and the next load adds nothing', async () => {
    const anon = 'e2e-exit';
    const page = await e2e.context.newPage();
    await page.goto(pageUrl({ anon, db: 'exit' }));
    await settled(page);
    // Enter and leave in the same task: only pagehide's sendBeacon can carry it.
    await page.evaluate(() => { window.t.beacon.update(['exit-intent']); location.href = '/beacon-away.html'; }).catch(() => undefined);
    await page.waitForURL('**/beacon-away.html');
    await expect.poll(() => members(anon), { timeout: 10_000, interval: 100 }).toEqual(['exit-intent']);
    // It left through sendBeacon, during pagehide (the away page has no script).
    const exit = JSON.parse(await page.evaluate(() => sessionStorage.getItem('beacon-exit') ?? '[]')) as BeaconPage['sent'];
    expect(exit).toEqual([{ via: 'sendBeacon', id: expect.any(String), queued: true }]);
    // Next load: the sendBeacon batch is unacknowledged, so it goes again with fetch; the collector de-duplicates.
    await page.goto(pageUrl({ anon, db: 'exit', members: 'exit-intent' }));
    await expect.poll(() => storedQueue(page), { timeout: 10_000, interval: 100 }).toBe(0);
    expect(await page.evaluate(() => window.t.errors)).toEqual([]);
    expect(await segmentCounts(['exit-intent'])).toEqual([{ id: 'exit-intent', members: 1, enters: 1, exits: 0 }]);
    // A reload with the same memberships sends nothing.
    const before = wire.length;
    await page.reload();
    await settled(page);
    await pause(1500);
    expect(wire.length).toBe(before);
    const resent = wire.filter((w) => JSON.parse(w.body).anonymousId === anon);
    console.info(`beacon e2e exit: sendBeacon ${exit[0]!.id}; next load fetched ${JSON.stringify(resent.map((w) => [w.id, w.status]))}`);
    await page.close();
  });

  it('three tabs with the same change send one batch (Web Lock seglet:beacon, shared IndexedDB state)', async () => {
    const anon = 'e2e-tabs';
    const pages = await threeTabsChanged(anon, 'tabs', 'tabs-x');
    await expect.poll(() => members(anon), { timeout: 10_000, interval: 100 }).toEqual(['tabs-x']);
    await pause(2500);
    const mine = wire.filter((w) => JSON.parse(w.body).anonymousId === anon);
    expect(mine.map((w) => w.status)).toEqual([204]);
    expect(await segmentCounts(['tabs-x'])).toEqual([{ id: 'tabs-x', members: 1, enters: 1, exits: 0 }]);
    await Promise.all(pages.map((p) => p.close()));
  });

  it('tabs closing within the coalescing second send the change with sendBeacon under one id; the collector applies it once', async () => {
    const anon = 'e2e-close';
    // Each tab sees the change and closes before its coalesced send: pagehide cannot wait for the lock.
    const pages = await threeTabsChanged(anon, 'close', 'close-x');
    await Promise.all(pages.map((p) => p.close({ runBeforeUnload: true })));
    await expect.poll(() => members(anon), { timeout: 10_000, interval: 100 }).toEqual(['close-x']);
    await pause(1500);
    // The relay sees the sendBeacon requests of closing pages, which Playwright's view misses.
    const mine = e2e.receivedFor(anon);
    // The race this is about: more than one tab sent it.
    expect(mine.length).toBeGreaterThan(1);
    expect(new Set(mine.map((r) => r.body.id)).size).toBe(1);
    expect(await segmentCounts(['close-x'])).toEqual([{ id: 'close-x', members: 1, enters: 1, exits: 0 }]);
  });

  it('a page on an origin the collector does not allow gets its 403 and drops the batch, instead of retrying it for 24 h', async () => {
    const anon = 'e2e-refused';
    const page = await e2e.context.newPage();
    // The same pages on another origin (localhost, not the allowed 127.0.0.1).
    await page.goto(pageUrl({ anon, db: 'refused' }).replace('//127.0.0.1:', '//localhost:'));
    await settled(page);
    const from = e2e.received.length;
    await page.evaluate(() => window.t.beacon.update(['refused-x']));
    await expect.poll(() => page.evaluate(() => window.t.errors), { timeout: 10_000, interval: 100 }).toEqual([
      expect.stringMatching(/^beacon_failed seglet: .*HTTP 403/),
    ]);
    // Backoff retries would have come at 1, 2 and 4 s (a CORS failure reads as a network error).
    await pause(4500);
    expect(e2e.receivedFor(anon, from).map((r) => r.status)).toEqual([403]);
    expect(await page.evaluate(() => window.t.sent.map((s) => [s.via, s.status]))).toEqual([['fetch', 403]]);
    expect(await storedQueue(page)).toBe(0);
    expect(await members(anon)).toBeNull();
    await page.close();
  });

  it('a device clock three days fast: the refused batch goes again on the collector clock, read from its exposed Date', async () => {
    const anon = 'e2e-fast-clock';
    const page = await e2e.context.newPage();
    await page.goto(pageUrl({ anon, db: 'fast-clock', skew: String(3 * 86_400_000) }));
    await settled(page);
    const from = e2e.received.length;
    await page.evaluate(() => window.t.beacon.update(['fast-x']));
    await expect.poll(() => members(anon), { timeout: 10_000, interval: 100 }).toEqual(['fast-x']);
    const got = e2e.receivedFor(anon, from);
    expect(got.map((r) => r.status)).toEqual([400, 204]);
    const [refused, sent] = got.map((r) => r.body as unknown as { sentAt: number; changes: { t: number }[] });
    expect(refused!.sentAt - Date.now()).toBeGreaterThan(2.9 * 86_400_000);
    expect(Math.abs(sent!.sentAt - Date.now())).toBeLessThan(10_000);
    expect(Math.abs(sent!.changes[0]!.t - Date.now())).toBeLessThan(10_000);
    expect(await page.evaluate(() => window.t.errors)).toEqual([]);
    expect(await storedQueue(page)).toBe(0);
    await page.close();
  });

  it('queues through a collector outage and a reload; every batch arrives, each applied once', async () => {
    const anon = 'e2e-outage';
    const port = Number(new URL(e2e.collectorUrl).port);
    const page = await e2e.context.newPage();
    await page.goto(pageUrl({ anon, db: 'outage' }));
    await settled(page);
    await stopCollector();
    // Four batches while the collector is down, one per coalescing second.
    for (const [i, set] of [['o-a'], ['o-a', 'o-b'], ['o-b'], ['o-b', 'o-c']].entries()) {
      await page.evaluate((s) => window.t.beacon.update(s), set);
      await expect.poll(() => storedQueue(page), { timeout: 5000, interval: 50 }).toBe(i + 1);
    }
    // A reload while down: the queue survives in IndexedDB; the new page adds one more change.
    await page.goto(pageUrl({ anon, db: 'outage', members: 'o-c' }));
    await pause(1500);
    await startCollector(port);
    await expect.poll(() => storedQueue(page), { timeout: 45_000, interval: 200 }).toBe(0);
    expect(await members(anon)).toEqual(['o-c']);
    expect(await segmentCounts(['o-a', 'o-b', 'o-c'])).toEqual([
      { id: 'o-a', members: 0, enters: 1, exits: 1 },
      { id: 'o-b', members: 0, enters: 1, exits: 1 },
      { id: 'o-c', members: 1, enters: 1, exits: 0 },
    ]);
    const mine = wire.filter((w) => JSON.parse(w.body).anonymousId === anon);
    const ids = [...new Set(mine.map((w) => w.id))];
    console.info(`beacon e2e outage wire: ${JSON.stringify(mine.map((w) => [w.type, w.id.slice(0, 8), w.status]))}`);
    expect(ids).toHaveLength(5);
    for (const id of ids) expect(mine.filter((w) => w.id === id).map((w) => w.status)).toContain(204);
    expect(mine.length).toBeGreaterThan(ids.length);
    // Every batch once more, as a duplicate delivery would: acknowledged, and nothing moves.
    for (const id of ids) {
      const res = await fetch(`${e2e.collectorUrl}/v1/beacon`, { method: 'POST', headers: { origin: e2e.origin, 'content-type': 'text/plain;charset=UTF-8' }, body: mine.find((w) => w.id === id)!.body });
      expect(res.status).toBe(204);
    }
    expect(await segmentCounts(['o-a', 'o-b', 'o-c'])).toEqual([
      { id: 'o-a', members: 0, enters: 1, exits: 1 },
      { id: 'o-b', members: 0, enters: 1, exits: 1 },
      { id: 'o-c', members: 1, enters: 1, exits: 0 },
    ]);
    expect(await page.evaluate(() => window.t.errors)).toEqual([]);
    console.info(`beacon e2e outage: ${mine.length} requests for ${ids.length} batches, statuses ${JSON.stringify(mine.map((w) => w.status))}`);
    await page.close();
  });

  it('forget() interrupted by a reload in the same task still reaches the collector: the next page sends the forget request', async () => {
    const page = await e2e.context.newPage();
    await page.goto(forgetPageUrl());
    await segmentsReady(page);
    // Another tab holds the store's Web Lock `seglet:store` across the reload, as a tab pruning
    // would: the forgetting page's clear waits for it, so that page is gone before it queues the
    // forget request, every round. Unheld, the reload's round trip often left it time to send it
    // itself, and the next page's part went untested.
    const locker = await e2e.context.newPage();
    await locker.goto(`${e2e.origin}/beacon-away.html`);
    const forgets = (from: number): (typeof wire) => wire.slice(from).filter((w) => (JSON.parse(w.body) as { forget?: true }).forget === true);
    const seen: string[] = [];
    for (let round = 0; round < 3; round++) {
      const at = wire.length;
      await page.evaluate(async () => {
        (window.segments as Segments).track('add_to_cart');
        (window.segments as Segments).track('add_to_cart');
        await (window.segments as Segments).flush();
      });
      const before = (await storedFacade(page))!;
      expect(before.events, `round ${round}`).toHaveLength(2);
      const anon = before.anon as string;
      expect(anon, `round ${round}`).toMatch(/^[\w-]{8,}$/);
      // A new page after each forget: a new id every round.
      expect(seen).not.toContain(anon);
      seen.push(anon);
      // The memberships went out under that id.
      await expect.poll(() => members(anon), { timeout: 10_000, interval: 100 }).toEqual(['f-buyer', 'f-cart']);
      expect(forgets(at)).toEqual([]);

      await holdStoreLock(locker);
      // Not awaited: the host reloads in the same task, as a "delete my data" form would.
      await Promise.all([
        page.waitForNavigation(),
        page.evaluate(() => { void (window.segments as Segments).forget(); location.reload(); }),
      ]);
      // The old page is gone without having sent the forget request: the collector still has the
      // profile as it was. Its pagehide sent nothing for the forgotten id (it once sent the emptied
      // memberships as exits, which the collector counted).
      await pause(500);
      expect(forgets(at), `round ${round}`).toEqual([]);
      expect(await members(anon), `round ${round}`).toEqual(['f-buyer', 'f-cart']);
      await releaseStoreLock(locker);
      await segmentsReady(page);

      // (a) The forget request for exactly that id reached the collector, which no longer has the profile.
      await expect.poll(() => forgets(at).some((w) => w.status === 204), { timeout: 15_000, interval: 100 }).toBe(true);
      expect(new Set(forgets(at).map((w) => (JSON.parse(w.body) as { anonymousId: string }).anonymousId)), `round ${round}`).toEqual(new Set([anon]));
      expect(await members(anon), `round ${round}`).toBeNull();
      expect(await segmentCounts(['f-cart', 'f-buyer'])).toMatchObject([{ id: 'f-cart', members: 0 }, { id: 'f-buyer', members: 0 }]);
      // (b) Nothing of the old page's events is left in IndexedDB, and (c) the new page runs under another id.
      const after = (await storedFacade(page))!;
      expect(after.events, `round ${round}`).toEqual([]);
      expect(await page.evaluate(() => (window.segments as Segments).explain('f-cart')?.condition.value), `round ${round}`).toBe(0);
      expect(after.anon, `round ${round}`).toEqual(expect.any(String));
      expect(after.anon, `round ${round}`).not.toBe(anon);
      expect(await page.evaluate(() => window.segletErrors)).toEqual([]);
      console.info(`beacon e2e forget round ${round}: ${anon.slice(0, 8)} -> ${String(after.anon).slice(0, 8)}; forget requests ${JSON.stringify(forgets(at).map((w) => [w.type, w.status]))}`);
    }
    await Promise.all([page.close(), locker.close()]);
  });
});
