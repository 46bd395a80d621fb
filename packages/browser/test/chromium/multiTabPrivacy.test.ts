import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Segments } from '../../src/types.js';
import { CHROMIUM, CHROMIUM_FLAGS } from './harness/launchChromium.js';
import { privacyProbes } from './harness/privacyProbes.js';
import { holdStoreLock, pause, releaseStoreLock, segmentsReady, useCollectorE2e, webTraces } from './harness/collectorE2e.js';

// Consent, forget() and multi-tab behaviour (runtime.md sections 2 and 7) in real
// Chromium against the real collector (the relay records every beacon, sendBeacon included).

const e2e = useCollectorE2e('seglet-multitab-e2e-');
const { members, storedFacade, receivedFor } = e2e;
const { url, away, seg, nonForget, forgets, resetOrigin, visited } = privacyProbes(e2e);


/** The page's engine events (debug hook), as `type` or `type#i` for events carrying an `i` prop. */
const engineEvents = (page: Page): Promise<string[]> => page.evaluate(() => {
  const hook = (window.segments as unknown as Record<symbol, () => { engine: { events(): { type: string; props?: Record<string, unknown> }[] } | null }>)[Symbol.for('seglet.debug')]!;
  return (hook().engine?.events() ?? []).map((e) => (e.props?.i === undefined ? e.type : `${e.type}#${String(e.props.i)}`));
});

/** The anonymous id the page's engine runs under (debug hook). */
const engineAnon = (page: Page): Promise<string | undefined> => page.evaluate(() => {
  const hook = (window.segments as unknown as Record<symbol, () => { engine: { anonymousId: string } | null }>)[Symbol.for('seglet.debug')]!;
  return hook().engine?.anonymousId;
});

/** Every event stored in the database `seglet`, as `type` or `type#i`, with the anonymous id. */
const storedEvents = (page: Page): Promise<{ anon: unknown; events: string[] } | null> => page.evaluate(async () => {
  if (!(await indexedDB.databases()).some((d) => d.name === 'seglet')) return null;
  return new Promise((done, fail) => {
    const open = indexedDB.open('seglet');
    open.onerror = () => fail(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const read = db.transaction('kv', 'readonly').objectStore('kv').openCursor();
      const out = { anon: undefined as unknown, events: [] as string[] };
      read.onsuccess = () => {
        const cursor = read.result;
        if (!cursor) { db.close(); done(out); return; }
        const key = String(cursor.key);
        if (key === 'm/anonymousId') out.anon = cursor.value;
        else if (key.startsWith('e/')) {
          for (const e of (cursor.value as { events: { type: string; props?: Record<string, unknown> }[] }).events) {
            out.events.push(e.props?.i === undefined ? e.type : `${e.type}#${String(e.props.i)}`);
          }
        }
        cursor.continue();
      };
      read.onerror = () => fail(read.error);
    };
  });
});

/**
 * Records what `window.segments` answers the moment the script tag creates it (before `ready`):
 * `members()` from the snapshot or the `seglet_m` cookie, as swaps would show on first paint.
 */
async function watchFirstLine(page: Page): Promise<void> {
  await page.addInitScript(() => {
    let value: unknown;
    Object.defineProperty(window, 'segments', {
      configurable: true,
      get: () => value,
      set: (v: { members?: () => string[] } | unknown[]) => {
        value = v;
        if (!Array.isArray(v) && typeof v?.members === 'function') {
          (window as unknown as { firstLine: string[] }).firstLine = v.members().sort();
        }
      },
    });
  });
}
const firstLine = (page: Page): Promise<string[] | undefined> => page.evaluate(() => (window as unknown as { firstLine?: string[] }).firstLine);

const snapshotMembers = (traces: { local: Record<string, string> }): string[] | null => {
  const raw = traces.local['seglet:m'];
  return raw === undefined ? null : (JSON.parse(raw) as { members: string[] }).members.sort();
};
const cookieMembers = (traces: { cookies: string[] }): string[] | null => {
  const c = traces.cookies.find((x) => x.startsWith('seglet_m='));
  return c === undefined ? null : c.slice('seglet_m='.length).split(',').sort();
};

const contexts: { close(): Promise<void> }[] = [];
const opened: Page[] = [];
async function open(context: BrowserContext = e2e.context): Promise<Page> {
  const page = await context.newPage();
  opened.push(page);
  return page;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((p) => p.close().catch(() => undefined)));
  for (const c of contexts.splice(0)) await c.close();
  await resetOrigin();
});


type Tick = { i: number; old: boolean; t: number };
/**
 * Starts a loop in `page` tracking `type {i}` three times every 2 ms; each entry notes whether
 * f-cart (the old profile) was still held and when. `untilForgotten`: the loop ends at the first
 * turn where f-cart is gone (every event it tracked was tracked before the page heard of a forget).
 */
const startTicking = (page: Page, type = 'tick', untilForgotten = false): Promise<void> => page.evaluate(([kind, until]) => {
  const w = window as unknown as { ticks: Tick[]; stopTicks: () => void };
  w.ticks = [];
  let i = 0;
  const timer = setInterval(() => {
    const s = window.segments as Segments;
    if (until && !s.has('f-cart')) { clearInterval(timer); return; }
    for (let k = 0; k < 3; k++) {
      const old = s.has('f-cart');
      s.track(kind as string, { i });
      w.ticks.push({ i, old, t: Date.now() });
      i++;
    }
  }, 2);
  w.stopTicks = () => clearInterval(timer);
}, [type, untilForgotten] as const);
const stopTicking = (page: Page): Promise<Tick[]> => page.evaluate(() => {
  const w = window as unknown as { ticks: Tick[]; stopTicks: () => void };
  w.stopTicks();
  return w.ticks;
});
/** Calls forget() in `page`; resolves with the time of the call. */
const forgetAt = (page: Page): Promise<number> => page.evaluate(async () => {
  const t = Date.now();
  await (window.segments as Segments).forget();
  return t;
});

/** A second Chromium with the back/forward cache on (Playwright turns it off). */
async function bfcacheContext(): Promise<BrowserContext> {
  const dir = mkdtempSync(join(tmpdir(), 'seglet-multitab-bf-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM, headless: true,
    // The test server answers `Cache-Control: no-store`: let such pages into the cache anyway.
    args: [...CHROMIUM_FLAGS, '--enable-features=CacheControlNoStoreEnterBackForwardCache:level/restore-unless-http-only-cookie-change'],
    ignoreDefaultArgs: ['--disable-back-forward-cache'],
  });
  contexts.push({ close: async () => { await context.close().catch(() => undefined); rmSync(dir, { recursive: true, force: true }); } });
  return context;
}
/** A granted visit (cookie: true, 2 add_to_cart) in a browser with the back/forward cache on: the page, its id, the beacons so far. */
async function bfVisited(): Promise<{ p: Page; anon: string; at: number }> {
  const p = await open(await bfcacheContext());
  const anon = await visited(p, 2, { cookie: true });
  return { p, anon, at: e2e.received.length };
}
/** The visitor goes on in the page that came back: a third add_to_cart, settled; then what is stored. */
async function goOn(p: Page): Promise<{ traces: Awaited<ReturnType<typeof webTraces>>; stored: Awaited<ReturnType<typeof storedEvents>> }> {
  await seg(p).track(1);
  await pause(1500);
  await p.evaluate(() => (window.segments as Segments).flush());
  await pause(300);
  return { traces: await webTraces(p), stored: await storedEvents(p) };
}
/** Marks the page, runs `elsewhere` (which navigates the tab), goes back; true when it came back from the back/forward cache. */
async function leaveAndBack(page: Page, elsewhere: () => Promise<void>): Promise<boolean> {
  await page.evaluate(() => {
    (window as unknown as { kept?: number }).kept = 1;
    addEventListener('pageshow', (e) => { (window as unknown as { shownPersisted?: boolean }).shownPersisted = e.persisted; });
  });
  await elsewhere();
  await page.goBack({ waitUntil: 'commit' });
  await page.waitForFunction(() => document.readyState !== 'loading' && window.segments !== undefined);
  const reasons = await page.evaluate(() => JSON.stringify((performance.getEntriesByType('navigation')[0] as unknown as { notRestoredReasons?: unknown })?.notRestoredReasons ?? null));
  console.info(`multi-tab notRestoredReasons: ${reasons}`);
  return page.evaluate(() => (window as unknown as { kept?: number }).kept === 1);
}

describe('multi-tab privacy: snapshot and cookie after forget() and denial, with other tabs open', () => {
  it('forget() in tab A while tab B (cookie: true) tracks in a loop: no snapshot or cookie with the forgotten memberships, and a fresh page starts with none', async () => {
    const [a, b] = [await open(), await open()];
    const anon = await visited(a, 3, { cookie: true });
    await b.goto(url({ cookie: true }));
    await segmentsReady(b);
    await expect.poll(() => seg(b).members(), { timeout: 5000, interval: 50 }).toEqual(['f-buyer', 'f-cart', 'f-three']);
    await startTicking(b);
    await pause(100);
    const at = e2e.received.length;
    await a.evaluate(() => (window.segments as Segments).forget());
    await expect.poll(() => seg(b).members(), { timeout: 5000, interval: 50 }).toEqual([]);
    await pause(200);
    await stopTicking(b);
    const traces = [await webTraces(a), await webTraces(b)];
    // B's page goes (pagehide: snapshot flush, sendBeacon), A's too.
    for (const p of [b, a]) await Promise.all([p.waitForURL('**/beacon-away.html'), p.evaluate(() => { location.href = '/beacon-away.html'; })]);
    await pause(300);
    const after = await webTraces(a);
    const c = await open();
    await watchFirstLine(c);
    await c.goto(url({ cookie: true }));
    const early = await firstLine(c);
    await segmentsReady(c);
    console.info(`multi-tab forget+loop: traces ${JSON.stringify(traces)}; after ${JSON.stringify(after)}; fresh page first line ${JSON.stringify(early)}`);
    for (const t of [...traces, after]) {
      expect(snapshotMembers(t) ?? []).toEqual([]);
      expect(cookieMembers(t)).toBeNull();
    }
    expect(early).toEqual([]);
    expect(await seg(c).members()).toEqual([]);
    expect(nonForget(anon, at)).toEqual([]);
  });

  it("consent('denied') in tab A while tab B (cookie: true) tracks in a loop and then enters a segment: B writes no snapshot, cookie or event, sends nothing", async () => {
    const [a, b] = [await open(), await open()];
    const anon = await visited(a, 1, { cookie: true });
    await b.goto(url({ cookie: true }));
    await segmentsReady(b);
    await startTicking(b);
    await pause(100);
    const at = e2e.received.length;
    await a.evaluate(() => { (window.segments as Segments).consent('denied'); });
    await pause(300);
    await stopTicking(b);
    await seg(b).track(2);
    expect(await seg(b).members()).toEqual(['f-buyer', 'f-cart', 'f-three']);
    await pause(1500);
    await Promise.all([b.waitForURL('**/beacon-away.html'), b.evaluate(() => { location.href = '/beacon-away.html'; })]);
    await pause(300);
    const traces = await webTraces(b);
    const stored = await storedEvents(b);
    console.info(`multi-tab denied+loop: traces ${JSON.stringify(traces)}; stored ${JSON.stringify(stored && { anon: stored.anon, n: stored.events.length })}; sent ${e2e.received.length - at}`);
    expect(traces).toEqual({ local: {}, session: {}, cookies: [] });
    expect(stored?.events ?? []).toEqual([]);
    expect(e2e.received.slice(at)).toEqual([]);
    expect(await members(anon)).toEqual(['f-cart']);
  });

  // Failed 7 of 7 runs before its fix: a load with consent denied erases at start-up (createSegments.ts) before the
  // tab channel exists (line 173) and never posts a consent message (only setConsent from the API
  // does, line 447): tab B stays granted and writes the pre-denial memberships back into seglet:m and
  // seglet_m, stores its event, and beacons the full pre-denial set under the deleted anonymous id.
  it('tab A reloads with consent denied (a consent tool reloading after "reject") while tab B is open: B then writes nothing back and sends nothing under the old id', async () => {
    const [a, b] = [await open(), await open()];
    const anon = await visited(a, 2, { cookie: true });
    await b.goto(url({ cookie: true }));
    await segmentsReady(b);
    await expect.poll(() => seg(b).members(), { timeout: 5000, interval: 50 }).toEqual(['f-buyer', 'f-cart']);
    const at = e2e.received.length;
    // The visitor rejects in tab A; the consent tool reloads A with `denied`: stored data is deleted.
    await a.goto(url({ consent: 'denied', cookie: true }));
    await segmentsReady(a);
    await expect.poll(async () => (await storedFacade(a))?.events ?? [], { timeout: 5000, interval: 100 }).toEqual([]);
    const deniedTraces = await webTraces(a);
    // The visitor goes on in tab B: one more add_to_cart.
    await seg(b).track(1);
    await pause(1500);
    await Promise.all([b.waitForURL('**/beacon-away.html'), b.evaluate(() => { location.href = '/beacon-away.html'; })]);
    await pause(300);
    const traces = await webTraces(a);
    const stored = await storedEvents(a);
    const sent = e2e.received.slice(at).map((r) => ({ old: r.body.anonymousId === anon, members: r.body.members, forget: r.body.forget }));
    // A fresh granted page (the visitor changes their mind later): what does it start from?
    const c = await open();
    await watchFirstLine(c);
    await c.goto(url({ cookie: true }));
    const early = await firstLine(c);
    console.info(`multi-tab reload-denied: right after the denial ${JSON.stringify(deniedTraces)}; after B ${JSON.stringify(traces)}; stored ${JSON.stringify(stored)}; sent ${JSON.stringify(sent)}; fresh page first line ${JSON.stringify(early)}`);
    expect(deniedTraces.local['seglet:m']).toBeUndefined();
    expect(snapshotMembers(traces)).toBeNull();
    expect(cookieMembers(traces)).toBeNull();
    expect(stored?.events ?? []).toEqual([]);
    expect(nonForget(anon, at)).toEqual([]);
    expect(early).toEqual([]);
  });
});

describe('multi-tab privacy: back/forward cache after a denial or forget() made by a fresh load in the same tab', () => {
  // Failed 7 of 7 runs before its fix: same root cause as above. The denied load posts no message (so the frozen page is
  // not even evicted); restored() (createSegments.ts) re-reads the now empty store, applies nothing,
  // and keeps the old engine and id: the pre-denial memberships come back in seglet:m / seglet_m and
  // are beaconed (204) under the old id. Needs the CacheControlNoStore flag of bfcacheContext(): the
  // test server's `Cache-Control: no-store` otherwise keeps every page out of the cache (privacy.test.ts's
  // bfcache test is never restored from the cache: notRestoredReasons response-cache-control-no-store).
  it('a page restored from the back/forward cache after the next page in its tab loaded with consent denied: no old data written back, nothing sent under the old id', async () => {
    const { p, anon, at } = await bfVisited();
    let deniedTraces: Awaited<ReturnType<typeof webTraces>> | null = null;
    const restored = await leaveAndBack(p, async () => {
      await p.goto(url({ consent: 'denied', cookie: true }));
      await segmentsReady(p);
      await expect.poll(async () => (await storedFacade(p))?.events ?? [], { timeout: 5000, interval: 100 }).toEqual([]);
      deniedTraces = await webTraces(p);
    });
    const persisted = await p.evaluate(() => (window as unknown as { shownPersisted?: boolean }).shownPersisted);
    await segmentsReady(p);
    const membersBack = await seg(p).members();
    const { traces, stored } = await goOn(p);
    const sent = receivedFor(anon, at).map((r) => ({ members: r.body.members, changes: r.body.changes, forget: r.body.forget, status: r.status }));
    console.info(`multi-tab bfcache denied: ${JSON.stringify({ restored, persisted, membersBack, deniedTraces, traces, stored, sent, profile: await members(anon) })}`);
    // The denied load's message evicts the frozen page in Chromium (restored is false); restored
    // or reloaded, nothing of the old profile may come back.
    expect(nonForget(anon, at)).toEqual([]);
    expect(snapshotMembers(traces) ?? []).not.toContain('f-buyer');
    expect(cookieMembers(traces) ?? []).not.toContain('f-buyer');
    expect(stored?.anon).not.toBe(anon);
  });

  it('a page restored from the back/forward cache after the next page in its tab called forget(): the forgotten memberships and id are gone', async () => {
    const { p, anon, at } = await bfVisited();
    const restored = await leaveAndBack(p, async () => {
      await p.goto(`${url({ cookie: true })}&second=1`);
      await segmentsReady(p);
      await p.evaluate(() => (window.segments as Segments).forget());
      await expect.poll(() => forgets(anon, at).some((r) => r.status === 204), { timeout: 8000, interval: 100 }).toBe(true);
    });
    await segmentsReady(p);
    const membersBack = await seg(p).members();
    const { traces, stored } = await goOn(p);
    console.info(`multi-tab bfcache forget: ${JSON.stringify({ restored, membersBack, traces, stored, sent: receivedFor(anon, at).map((r) => ({ members: r.body.members, forget: r.body.forget, status: r.status })), profile: await members(anon) })}`);
    expect(nonForget(anon, at)).toEqual([]);
    expect(await members(anon)).toBeNull();
    expect(await seg(p).members()).toEqual(['f-cart']);
    expect(snapshotMembers(traces)).toEqual(['f-cart']);
    expect(stored?.anon).not.toBe(anon);
  });
});

describe('multi-tab privacy: forget() in one tab while another tracks', () => {
  /**
   * A granted, 1 add_to_cart; B open and tracking `type` in a loop (`untilForgotten`: until it
   * hears of the forget); A forgets; B goes on for 300 ms.
   */
  async function forgetWhileTicking(type = 'tick', untilForgotten = false) {
    const [a, b] = [await open(), await open()];
    const anon = await visited(a, 1);
    await b.goto(url());
    await segmentsReady(b);
    await expect.poll(() => seg(b).members(), { timeout: 5000, interval: 50 }).toEqual(['f-cart']);
    await startTicking(b, type, untilForgotten);
    await pause(150);
    const at = e2e.received.length;
    const t0 = await forgetAt(a);
    await pause(300);
    const ticks = await stopTicking(b);
    await Promise.all([a, b].map((p) => p.evaluate(() => (window.segments as Segments).flush())));
    await pause(300);
    return {
      a, b, anon, at, t0, ticks,
      /** Tracked by B while it still held the old profile (before it heard of the forget). */
      before: ticks.filter((x) => x.old).map((x) => `tick#${x.i}`),
      /** Tracked by B under the new profile. */
      after: ticks.filter((x) => !x.old).map((x) => `tick#${x.i}`),
    };
  }
  const dupes = (list: string[]) => list.filter((x, i) => list.indexOf(x) !== i);

  // Failed about 10 runs of 12 before its fix: A's clear empties the whole store once it gets seglet:store
  // (openEventStore.ts), a few ms after B already heard of the forget (createSegments.ts) and
  // wrote its first events under the new identity: those (12-60 in these runs) are deleted, missing
  // from every engine after a reload. Deterministic version: the test with seglet:store held below.
  // Under load (load average 7-8) it failed again in 4 runs of 4 after that fix (24 events lost): A
  // posted the forget in the same task as its lock request, and B's request reached the browser
  // first. A now posts once a query of the lock manager has answered; 6 runs of 6 passed at load 8-9.
  it('forget() in tab A while tab B tracks in a loop: every event B tracked after hearing of the forget is stored, and is in both engines exactly once after reloads', async () => {
    const { a, b, anon, at, t0, ticks, before, after } = await forgetWhileTicking();
    const stored = (await storedEvents(a))!;
    const fresh = stored.anon as string;
    const eb = await engineEvents(b);
    const inDb = new Set(stored.events);
    const lost = after.filter((id) => !inDb.has(id));
    const firstAfter = ticks.find((x) => !x.old);
    console.info(`multi-tab forget+loop lost: ${JSON.stringify({ before: before.length, after: after.length, stored: stored.events.length, lost, firstAfterDt: firstAfter ? firstAfter.t - t0 : null, lostSpanMs: lost.length ? ticks.find((x) => `tick#${x.i}` === lost[lost.length - 1])!.t - firstAfter!.t : 0, dupes: dupes(stored.events) })}`);
    // What passed in every run: nothing from before survives, the new id, nothing under the old id.
    expect.soft(fresh).not.toBe(anon);
    expect.soft(stored.events.filter((id) => id === 'add_to_cart' || before.includes(id))).toEqual([]);
    expect.soft(nonForget(anon, at)).toEqual([]);
    expect.soft(dupes(stored.events)).toEqual([]);
    expect.soft([...eb].sort()).toEqual([...after].sort());
    // B's events under the new identity: stored, so every tab has them after a reload.
    expect.soft(lost).toEqual([]);
    for (const p of [a, b]) { await p.reload(); await segmentsReady(p); }
    const [ra, rb] = [await engineEvents(a), await engineEvents(b)];
    expect.soft(dupes(ra)).toEqual([]);
    expect.soft([...rb].sort()).toEqual([...after].sort());
    expect.soft([...ra].sort()).toEqual([...after].sort());
  });

  // Failed about 9 runs of 11 before its fix: events B tracked before A's forget() call, still in flight
  // on the BroadcastChannel, reach A after its rebuild and are applied to the new profile
  // (createSegments.ts, no check against the forget); B dropped them: the tabs disagree.
  it('forget() in tab A while tab B tracks in a loop: A continues with empty memory, holding none of the events B tracked before the forget() call', async () => {
    const { a, b, t0, ticks, before, after } = await forgetWhileTicking();
    const [ea, eb] = [await engineEvents(a), await engineEvents(b)];
    const beforeCall = ticks.filter((x) => x.old && x.t < t0).map((x) => `tick#${x.i}`);
    const aFromBefore = ea.filter((id) => before.includes(id));
    console.info(`multi-tab forget+loop A memory: ${JSON.stringify({ before: before.length, beforeCall: beforeCall.length, aFromBefore, aFromBeforeCall: ea.filter((id) => beforeCall.includes(id)), ea: ea.length, eb: eb.length, after: after.length })}`);
    expect.soft(ea.filter((id) => beforeCall.includes(id))).toEqual([]);
    expect.soft(aFromBefore).toEqual([]);
    expect.soft([...ea].sort()).toEqual([...eb].sort());
  });

  // Failed 7 of 7 runs before its fix: A's new profile enters f-cart/f-buyer/f-three from
  // add_to_cart events B tracked before the forget() call; A beacons them under the NEW anonymous id
  // (204), while B (members []) beacons the exits: the collector's fresh profile flaps and ends with
  // the pre-forget memberships.
  it('forget() in tab A while tab B adds to cart in a loop (B stops once it hears of the forget): A\'s new profile holds none of those add_to_cart, locally or at the collector', async () => {
    const { a, b, anon, at, t0, ticks } = await forgetWhileTicking('add_to_cart', true);
    await pause(1200);
    await a.evaluate(() => (window.segments as Segments).flush());
    await pause(300);
    const stored = (await storedEvents(a))!;
    const fresh = stored.anon as string;
    const [ma, mb] = [await seg(a).members(), await seg(b).members()];
    const ea = await engineEvents(a);
    const sentFresh = receivedFor(fresh, at).map((r) => ({ members: r.body.members, changes: r.body.changes, status: r.status }));
    console.info(`multi-tab forget+cart loop: ${JSON.stringify({ tracked: ticks.length, allOld: ticks.every((x) => x.old), lastDt: ticks.length ? ticks[ticks.length - 1]!.t - t0 : null, ma, mb, ea, stored: stored.events, sentFresh, profileFresh: await members(fresh) })}`);
    expect(ticks.every((x) => x.old)).toBe(true);
    expect.soft(mb).toEqual([]);
    expect.soft(stored.events).toEqual([]);
    expect.soft(ea).toEqual([]);
    expect.soft(ma).toEqual([]);
    expect.soft(sentFresh.filter((r) => (r.members ?? []).length > 0)).toEqual([]);
    expect.soft(await members(fresh)).toBeNull();
    expect.soft(nonForget(anon, at)).toEqual([]);
  });

  // Failed 7 of 7 runs before its fix: deterministic form of the lost-events bug: B's add_to_cart under the new id is
  // written at once, A's clear (waiting for the lock) deletes it later; after B's reload B is in no
  // segment while A still shows f-cart in memory.
  it('forget() in tab A while another tab holds seglet:store (a cleanup running): the add_to_cart tab B tracks after hearing of the forget is stored and survives B\'s reload', async () => {
    const [a, b, locker] = [await open(), await open(), await open()];
    const anon = await visited(a, 2);
    await b.goto(url());
    await Promise.all([segmentsReady(b), locker.goto(away())]);
    await expect.poll(() => seg(b).members(), { timeout: 5000, interval: 50 }).toEqual(['f-buyer', 'f-cart']);
    await holdStoreLock(locker);
    const at = e2e.received.length;
    await a.evaluate(() => { void (window.segments as Segments).forget(); });
    await expect.poll(() => seg(b).members(), { timeout: 5000, interval: 50 }).toEqual([]);
    // The visitor, under the new identity, adds to cart in tab B.
    await b.evaluate(() => { (window.segments as Segments).track('add_to_cart', { i: 'new' }); });
    await expect.poll(() => seg(a).members(), { timeout: 5000, interval: 50 }).toEqual(['f-cart']);
    await pause(200);
    await releaseStoreLock(locker);
    await expect.poll(() => forgets(anon, at).some((r) => r.status === 204), { timeout: 8000, interval: 100 }).toBe(true);
    await Promise.all([a, b].map((p) => p.evaluate(() => (window.segments as Segments).flush())));
    await pause(300);
    const stored = (await storedEvents(a))!;
    const fresh = await engineAnon(a);
    await b.reload();
    await segmentsReady(b);
    const reloaded = { members: await seg(b).members(), anon: await engineAnon(b) };
    console.info(`multi-tab forget+locked store: ${JSON.stringify({ stored, fresh, reloaded, old: anon })}`);
    expect.soft(stored.events).toEqual(['add_to_cart#new']);
    expect.soft(stored.anon).toBe(fresh);
    expect.soft(reloaded.members).toEqual(['f-cart']);
    expect.soft(reloaded.anon).toBe(fresh);
    expect.soft(nonForget(anon, at)).toEqual([]);
  });

  // Failed 6 runs of 7 before its fix: B finds A's seglet:erase note (still there while A's erase waits),
  // treats it as an erase a departed page left (eraseJournal.ts only knows its own page's live
  // tokens; createSegments.ts) and erases again after A's clear: A's add_to_cart under the new id
  // is deleted; B starts in no segment while A holds f-cart, and their beacons flap the fresh profile.
  it('a fresh page loads in tab B while the erase of forget() in tab A waits for seglet:store: it reads nothing from before, and both tabs end under one id with A\'s later add_to_cart kept', async () => {
    const [a, b, locker] = [await open(), await open(), await open()];
    const anon = await visited(a, 2);
    await locker.goto(away());
    await holdStoreLock(locker);
    const at = e2e.received.length;
    await a.evaluate(() => { void (window.segments as Segments).forget(); });
    // After the forget, under the new identity: one add_to_cart in A.
    await a.evaluate(() => { (window.segments as Segments).track('add_to_cart', { i: 'a-new' }); });
    expect(await seg(a).members()).toEqual(['f-cart']);
    // Tab B opens meanwhile (it gets no forget message: it was not open).
    await b.goto(url());
    await pause(300);
    await releaseStoreLock(locker);
    await segmentsReady(b);
    await expect.poll(() => forgets(anon, at).some((r) => r.status === 204), { timeout: 8000, interval: 100 }).toBe(true);
    await Promise.all([a, b].map((p) => p.evaluate(() => (window.segments as Segments).flush())));
    await pause(500);
    const stored = (await storedEvents(a))!;
    const ids = { a: await engineAnon(a), b: await engineAnon(b), stored: stored.anon };
    const mb = await seg(b).members();
    await b.reload();
    await segmentsReady(b);
    const reloaded = { members: await seg(b).members(), anon: await engineAnon(b) };
    console.info(`multi-tab fresh page during forget: ${JSON.stringify({ stored, ids, old: anon, mb, reloaded, sent: e2e.received.slice(at).map((r) => ({ old: r.body.anonymousId === anon, anon: r.body.anonymousId, forget: r.body.forget, members: r.body.members })) })}`);
    expect.soft(ids.b).not.toBe(anon);
    expect.soft(mb).not.toContain('f-buyer');
    expect.soft(nonForget(anon, at)).toEqual([]);
    expect.soft(stored.events).toEqual(['add_to_cart#a-new']);
    expect.soft(ids.b).toBe(ids.a);
    expect.soft(ids.stored).toBe(ids.a);
    expect.soft(reloaded.members).toEqual(['f-cart']);
  });
});

describe('multi-tab privacy: a page that left with unwritten events, and forget() in another tab', () => {
  /**
   * B's page whose database never opens (a page leaving within its first moments) tracks `n`
   * add_to_cart `{ i }` and navigates away: its events wait in B's sessionStorage (the stash).
   */
  async function leaveUnwritten(b: Page, n: number, tag: string): Promise<number> {
    await b.goto(`${url()}&stuck=1`);
    await b.evaluate(([k, t]) => { for (let i = 0; i < k; i++) (window.segments as Segments).track('add_to_cart', { i: `${t}${i}` }); }, [n, tag] as const);
    await Promise.all([b.waitForURL('**/beacon-away.html'), b.evaluate(() => { location.href = '/beacon-away.html'; })]);
    const raw = await b.evaluate(() => sessionStorage.getItem('seglet:unwritten'));
    return raw === null ? 0 : (JSON.parse(raw) as unknown[]).length - 1;
  }

  // Failed before its fix (the stash had no time): B's next page stored the stash after A's deletion,
  // and the forgotten profile came back in B (f-buyer from the two stashed add_to_cart).
  it('B leaves with unwritten events, A forgets, B\'s next page loads: the stashed events stay forgotten; a stash left after the forget is stored', async () => {
    const [a, b] = [await open(), await open()];
    await visited(a, 1);
    // Only B's `stuck` pages: indexedDB.open never answers there.
    await b.addInitScript(() => {
      if (location.search.includes('stuck=1')) indexedDB.open = () => ({}) as IDBOpenDBRequest;
    });
    const stashed = await leaveUnwritten(b, 2, 'old');
    await pause(5);
    await forgetAt(a);
    await b.goto(url());
    await segmentsReady(b);
    await b.evaluate(() => (window.segments as Segments).flush());
    const first = { members: await seg(b).members(), engine: await engineEvents(b), stored: (await storedEvents(b))?.events, stash: await b.evaluate(() => sessionStorage.getItem('seglet:unwritten')) };
    // After the forget: a stash is stored as before.
    const later = await leaveUnwritten(b, 1, 'new');
    await b.goto(url());
    await segmentsReady(b);
    await b.evaluate(() => (window.segments as Segments).flush());
    const second = { members: await seg(b).members(), stored: (await storedEvents(b))?.events };
    console.info(`multi-tab stash and forget: ${JSON.stringify({ stashed, first, later, second })}`);
    expect(stashed).toBe(2);
    expect(first).toEqual({ members: [], engine: [], stored: [], stash: null });
    expect(later).toBe(1);
    expect(second).toEqual({ members: ['f-cart'], stored: ['add_to_cart#new0'] });
  });
});

describe('forget() and a page that goes while its deletion waits', () => {
  // Failed before its fix: the add_to_cart tracked after forget() waited behind the clear (which waits for
  // seglet:store), the page went, and it was lost: the store kept nothing under the new profile. It is now
  // stashed with the other unwritten events and stored by the tab's next page.
  it('forget(), then an add_to_cart, then the page navigates while another tab holds seglet:store: the next page stores that event under the new id, and nothing from before', async () => {
    const [a, locker] = [await open(), await open()];
    const anon = await visited(a, 2);
    await locker.goto(away());
    await holdStoreLock(locker);
    await a.evaluate(() => {
      void (window.segments as Segments).forget();
      (window.segments as Segments).track('add_to_cart', { i: 'after' });
    });
    await Promise.all([a.waitForURL('**/beacon-away.html'), a.evaluate(() => { location.href = '/beacon-away.html'; })]);
    const stash = await a.evaluate(() => sessionStorage.getItem('seglet:unwritten'));
    await releaseStoreLock(locker);
    await a.goto(url());
    await segmentsReady(a);
    await a.evaluate(() => (window.segments as Segments).flush());
    const stored = (await storedEvents(a))!;
    const after = { members: await seg(a).members(), engine: await engineEvents(a), stored: stored.events, fresh: stored.anon !== anon };
    console.info(`forget then leave: ${JSON.stringify({ stash, after })}`);
    expect(after).toEqual({ members: ['f-cart'], engine: ['add_to_cart#after'], stored: ['add_to_cart#after'], fresh: true });
  });
});

describe('multi-tab privacy: forget() in another tab while consent granted here reads the store', () => {
  /** Holds a readwrite transaction on the store in `holder` (a tab of the origin): every later transaction on it waits, in order. */
  const holdTransaction = (holder: Page): Promise<void> => holder.evaluate(() => new Promise<void>((held) => {
    const req = indexedDB.open('seglet');
    req.onsuccess = () => {
      const db = req.result;
      const kv = db.transaction('kv', 'readwrite').objectStore('kv');
      const w = window as unknown as { releaseTx?: boolean };
      const spin = (): void => { if (w.releaseTx) db.close(); else kv.get('none').onsuccess = spin; };
      spin();
      held();
    };
  }));

  // Failed before its fix: B's read (issued at the grant, so it ran before A's clear) resolved after
  // B heard of the forget, and the rebuild from it put the forgotten history and anonymous id back
  // in B: B showed f-buyer again, and A then dropped every event B tracked (under the forgotten id).
  it("B grants consent, A forgets while B's read of the store waits: B keeps the forget (no old memberships, A's new id), and the tabs hear each other after", async () => {
    const [a, b, holder] = [await open(), await open(), await open()];
    const anon = await visited(a, 2);
    await b.goto(url({ consent: 'pending' }));
    await segmentsReady(b);
    await holder.goto(away());
    await holdTransaction(holder);
    await b.evaluate(() => { (window.segments as Segments).consent('granted'); });
    // B's reads are issued (before A's clear, which queues behind them).
    await pause(300);
    const forgot = forgetAt(a);
    await expect.poll(async () => (await engineAnon(b)) === (await engineAnon(a)), { timeout: 5000, interval: 50 }).toBe(true);
    await holder.evaluate(() => { (window as unknown as { releaseTx?: boolean }).releaseTx = true; });
    await forgot;
    await pause(300);
    const heard = { members: await seg(b).members(), events: await engineEvents(b), anon: await engineAnon(b), fresh: await engineAnon(a) };
    await seg(b).track(1);
    await expect.poll(() => seg(a).members(), { timeout: 3000, interval: 50 }).toEqual(['f-cart']).catch(() => undefined);
    const after = { a: await seg(a).members(), b: await seg(b).members(), snapshot: snapshotMembers(await webTraces(b)) };
    console.info(`multi-tab forget during a grant's read: ${JSON.stringify({ old: anon, heard, after })}`);
    expect(heard).toEqual({ members: [], events: [], anon: heard.fresh, fresh: expect.not.stringMatching(`^${anon}$`) as unknown });
    expect(after).toEqual({ a: ['f-cart'], b: ['f-cart'], snapshot: ['f-cart'] });
  });
});

describe('multi-tab privacy: forget() in two tabs at once', () => {
  // Failed before its fix: each tab took the other's new id (A on B's, B on A's, the store on one of
  // them) and counted its own as forgotten, so each dropped every event the other tracked from then
  // on: A's add_to_cart never reached B, until a reload.
  it('A and B call forget() at the same time (a host forgetting in every tab on logout): both continue under one new id, the stored one, and hear each other', async () => {
    const [a, b] = [await open(), await open()];
    const anon = await visited(a, 2);
    await b.goto(url());
    await segmentsReady(b);
    const at = e2e.received.length;
    await Promise.all([forgetAt(a), forgetAt(b)]);
    await pause(300);
    const ids = { a: await engineAnon(a), b: await engineAnon(b), stored: (await storedEvents(a))?.anon };
    await a.evaluate(() => { (window.segments as Segments).track('add_to_cart', { i: 'a' }); });
    await b.evaluate(() => { (window.segments as Segments).track('view_item', { i: 'b' }); });
    await pause(300);
    const heard = { a: [...(await engineEvents(a))].sort(), b: [...(await engineEvents(b))].sort() };
    await Promise.all([a, b].map((p) => p.evaluate(() => (window.segments as Segments).flush())));
    await b.reload();
    await segmentsReady(b);
    const reloaded = { anon: await engineAnon(b), events: [...(await engineEvents(b))].sort() };
    console.info(`multi-tab forget at once: ${JSON.stringify({ old: anon, ids, heard, reloaded })}`);
    expect(ids.a).not.toBe(anon);
    expect(ids).toEqual({ a: ids.a, b: ids.a, stored: ids.a });
    expect(heard).toEqual({ a: ['add_to_cart#a', 'view_item#b'], b: ['add_to_cart#a', 'view_item#b'] });
    expect(reloaded).toEqual({ anon: ids.a, events: ['add_to_cart#a', 'view_item#b'] });
    expect(nonForget(anon, at)).toEqual([]);
  });
});
