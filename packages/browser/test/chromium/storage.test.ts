import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium } from './harness/launchChromium.js';
import './harness/pageGlobals.js';

const base = inject('chromiumBaseUrl');
let browser: Awaited<ReturnType<typeof launchChromium>>;
let dbCount = 0;

beforeAll(async () => { browser = await launchChromium(); });
afterAll(async () => { await browser?.close(); });

/** Opens the store `name` in the page (errors collected in `window.errors`); resolves with its mode. */
function openStore(page: Page, name: string, tabId?: string): Promise<string> {
  return page.evaluate(([n, tab]) => {
    window.errors = [];
    window.store = window.SegletTest.openEventStore({ name: n, tabId: tab ?? undefined, onError: (e) => window.errors.push(e.code) });
    return window.store.ready;
  }, [name, tabId ?? null] as const);
}

const loadIds = (page: Page): Promise<string[]> => page.evaluate(async () => (await window.store.load()).map((e) => e.id));

/**
 * Two tabs of a fresh profile `own` with a 1 MiB quota, each tracking `batches` bursts of 10 events
 * every few ms without waiting for the writes (several in flight per tab, each evicting on its own),
 * events of `props` filler props of about 390 B. Resolves with the pages, the CDP session that set
 * the quota, and every appended event id in restore order (t, tab id, sequence), the order eviction
 * follows.
 */
async function burstInTwoTabs(own: Awaited<ReturnType<typeof launchChromium>>, name: string, batches: number, props: number) {
  const pages = await Promise.all([own.context.newPage(), own.context.newPage()]);
  await Promise.all(pages.map((p) => p.goto(`${base}/store.html`)));
  const cdp = await own.context.newCDPSession(pages[0] as Page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: base, quotaSize: 1024 * 1024 });
  await Promise.all(pages.map((p, i) => openStore(p, name, `tab${i}`)));
  const appended = (await Promise.all(pages.map((p) => p.evaluate(async ([n, width]) => {
    const filler = (): string => Array.from(crypto.getRandomValues(new Uint8Array(375)), (b) => String.fromCharCode(48 + (b % 64))).join('');
    const out: [string, number][] = [];
    for (let batch = 0; batch < n; batch++) {
      const events = window.store.append(Array.from({ length: 10 }, (_, i) => ({
        type: 'view_item', props: Object.fromEntries(Array.from({ length: width }, (_, k) => [`k${k}`, `${batch}-${i}-${k}-${filler()}`])),
      })));
      out.push(...events.map((e): [string, number] => [e.id, e.t]));
      await new Promise((r) => setTimeout(r, Math.random() * 4));
    }
    await window.store.flush();
    return out;
  }, [batches, props] as const)))).flat();
  await pages[1]!.evaluate(() => window.store.flush());
  const split = (id: string): [string, number] => [id.slice(0, id.lastIndexOf(':')), Number(id.slice(id.lastIndexOf(':') + 1))];
  const order = appended.sort(([a, ta], [b, tb]) => {
    const [x, y] = [split(a), split(b)];
    return ta - tb || (x[0] !== y[0] ? (x[0] < y[0] ? -1 : 1) : x[1] - y[1]);
  }).map(([id]) => id);
  return { pages, cdp, order };
}

describe('event store in Chromium', () => {
  it('keeps exact counts across reloads', async () => {
    const page = await browser.context.newPage();
    const name = `reload-${++dbCount}`;
    await page.goto(`${base}/store.html`);
    expect(await openStore(page, name)).toBe('indexeddb');
    await page.evaluate(async () => {
      for (let task = 0; task < 5; task++) {
        window.store.append(Array.from({ length: 5 }, (_, i) => ({ type: 'page_view', props: { path: `/p/${task}/${i}` } })));
        await new Promise((r) => setTimeout(r, 0));
      }
      await window.store.flush();
    });
    await page.reload();
    await openStore(page, name);
    expect(await loadIds(page)).toHaveLength(25);
    await page.evaluate(async () => { window.store.append([{ type: 'click' }, { type: 'click' }]); await window.store.flush(); });
    await page.reload();
    await openStore(page, name);
    const ids = await loadIds(page);
    expect(ids).toHaveLength(27);
    expect(new Set(ids).size).toBe(27);
    expect(await page.evaluate(() => window.errors)).toEqual([]);
    await page.close();
  });

  it('loses nothing when the tab navigates away right after append (no flush, no pagehide work)', async () => {
    const page = await browser.context.newPage();
    const name = `navigate-${++dbCount}`;
    let expected = 0;
    for (let round = 0; round < 5; round++) {
      await page.goto(`${base}/store.html`);
      await openStore(page, name);
      const count = 10 + round;
      expected += count;
      // Append and leave in the same task: the commit must already be under way.
      await page.evaluate((n) => {
        window.store.append(Array.from({ length: n }, () => ({ type: 'add_to_cart', props: { value: 1 } })));
        location.href = '/elsewhere.html';
      }, count).catch(() => undefined);
      await page.waitForURL('**/elsewhere.html');
    }
    await page.goto(`${base}/store.html`);
    await openStore(page, name);
    expect(await loadIds(page)).toHaveLength(expected);
    await page.close();
  });

  it('two tabs appending interleaved events each load every event exactly once, in the same order', async () => {
    const name = `tabs-${++dbCount}`;
    const pages = await Promise.all([browser.context.newPage(), browser.context.newPage()]);
    await Promise.all(pages.map((p) => p.goto(`${base}/store.html`)));
    await Promise.all(pages.map((p, i) => openStore(p, name, `tab${i}`)));
    // Both tabs write at once, in bursts of 1-3 events per task, with ties at the same millisecond.
    await Promise.all(pages.map((p) => p.evaluate(async () => {
      const t0 = Date.now();
      for (let i = 0; i < 60; i++) {
        const burst = 1 + (i % 3);
        window.store.append(Array.from({ length: burst }, () => ({ type: 'scroll', t: t0 + Math.floor(i / 4) })));
        if (i % 2 === 0) await new Promise((r) => setTimeout(r, Math.random() * 3));
        if (i % 7 === 0) void window.store.prune();
      }
      await window.store.flush();
    })));
    const perTab = 60 / 3 * (1 + 2 + 3);
    const [a, b] = await Promise.all(pages.map(loadIds));
    expect(a).toHaveLength(2 * perTab);
    expect(new Set(a).size).toBe(2 * perTab);
    expect(b).toEqual(a);
    // A third tab opened later sees the same log.
    const late = await browser.context.newPage();
    await late.goto(`${base}/store.html`);
    await openStore(late, name, 'tab2');
    expect(await loadIds(late)).toEqual(a);
    await Promise.all([...pages, late].map((p) => p.close()));
  });

  it('evicts the oldest events when the quota is exhausted, reports it, and never throws', async () => {
    // A fresh origin (same loopback server): Chromium's IndexedDB keeps the quota it saw while an origin's storage is in use.
    const origin = base.replace('127.0.0.1', 'localhost');
    const page = await browser.context.newPage();
    const name = `quota-${++dbCount}`;
    await page.goto(`${origin}/store.html`);
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1024 * 1024 });
    await openStore(page, name);
    const result = await page.evaluate(async () => {
      // Incompressible filler: Chromium compresses stored values.
      const filler = (): string => Array.from(crypto.getRandomValues(new Uint8Array(375)), (b) => String.fromCharCode(48 + (b % 64))).join('');
      const t0 = Date.now() - 100_000;
      let thrown = 0;
      for (let batch = 0; batch < 24; batch++) {
        try {
          window.store.append(Array.from({ length: 10 }, (_, i) => ({
            type: 'view_item', t: t0 + batch * 10 + i,
            props: Object.fromEntries(Array.from({ length: 20 }, (_, k) => [`k${k}`, `${batch}-${i}-${k}-${filler()}`])),
          })));
          await window.store.flush();
        } catch { thrown++; }
      }
      const log = await window.store.load();
      const order = log.map((e) => String(e.props?.k0).split('-').slice(0, 2).join('-'));
      return { thrown, count: log.length, first: log[0]?.props?.k0, last: log[log.length - 1]?.props?.k0, order, errors: window.errors };
    });
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
    await page.close();
    expect(result.thrown).toBe(0);
    expect(result.errors).toContain('storage_quota');
    expect(new Set(result.errors)).toEqual(new Set(['storage_quota']));
    expect(result.count).toBeGreaterThan(0);
    expect(result.count).toBeLessThan(240);
    expect(String(result.last)).toMatch(/^23-9-0-/);
    expect(String(result.first)).not.toMatch(/^0-0-0-/);
    // What survives is exactly the newest events, in order: eviction took the oldest first.
    const appended = Array.from({ length: 240 }, (_, n) => `${Math.floor(n / 10)}-${n % 10}`);
    expect(result.order).toEqual(appended.slice(240 - result.count));
  });
});

describe('event store in Chromium, two tabs out of quota', () => {
  it('two tabs tracking under an exhausted quota lose only the oldest events, counted across both tabs', async () => {
    // Its own profile, so the origin's storage is fresh when the quota is overridden.
    const own = await launchChromium();
    try {
      // Values of about 78 kB (20 filler props an event), as in the test above: smaller ones stay in
      // LevelDB, where deletes do not free quota at once (the next test).
      const { pages, cdp, order } = await burstInTwoTabs(own, 'quota-tabs', 16, 20);
      // What each tab still has: the stored log plus the events it holds in memory to write later
      // (a tab whose eviction made no room keeps its newest batches there, see docs/privacy.md).
      // Both tabs' views, as in the next test: one tab's view counted the other tab's held batches
      // as lost (tab1's last three batches, twice in the CI).
      const views = await Promise.all(pages.map(loadIds));
      const errors = (await Promise.all(pages.map((p) => p.evaluate(() => window.errors)))).flat();
      await cdp.send('Storage.overrideQuotaForOrigin', { origin: base });
      const held = new Set(views.flat());
      const kept = order.filter((id) => held.has(id));
      expect(errors).toContain('storage_quota');
      expect(new Set(errors)).toEqual(new Set(['storage_quota']));
      expect(kept.length).toBeLessThan(order.length);
      for (const view of views) expect(view).toEqual(order.filter((id) => view.includes(id)));
      // No lost event is newer than the oldest kept one, and what is kept is exactly the newest
      // events. (Not asserted: that something is kept. About 1 run in 8 ends with the log emptied,
      // before and after the fix this test came with: see that commit.)
      const first = kept.length > 0 ? order.indexOf(kept[0]!) : order.length;
      const newerLost = order.filter((id, i) => i > first && !held.has(id));
      expect(newerLost).toEqual([]);
      expect(kept).toEqual(order.slice(order.length - kept.length));
    } finally {
      await own.close();
    }
  });
});

describe('event store in Chromium, two tabs out of quota with small values', () => {
  it('never empties the log for nothing: deletes of small values free no quota at once, and what is kept is the newest events', async () => {
    // Its own profile, so the origin's storage is fresh when the quota is overridden.
    const own = await launchChromium();
    try {
      // As the test above, with batches of about 39 kB (10 filler props an event, not 20): Chromium
      // keeps such values inside LevelDB, where deleting them raises the usage it reports (seen
      // 1.02 MB -> 1.3 MB for 6 deletes) until a compaction that did not come within 60 s.
      // Evicting cannot make room then, and every further round only loses older events.
      const { pages, cdp, order } = await burstInTwoTabs(own, 'quota-small', 20, 10);
      // What each tab still has: the stored log plus the events it holds in memory to write later.
      const views = await Promise.all(pages.map(loadIds));
      const errors = (await Promise.all(pages.map((p) => p.evaluate(() => window.errors)))).flat();
      // The stored log alone, as a tab opened now restores it.
      const late = await own.context.newPage();
      await late.goto(`${base}/store.html`);
      await openStore(late, 'quota-small', 'tab2');
      const stored = await loadIds(late);
      await cdp.send('Storage.overrideQuotaForOrigin', { origin: base });
      const held = new Set(views.flat());
      const kept = order.filter((id) => held.has(id));
      expect(errors).toContain('storage_quota');
      expect(new Set(errors)).toEqual(new Set(['storage_quota']));
      expect(kept.length).toBeLessThan(order.length);
      // The log held events when the quota ran out (1 MiB holds about 26 such batches): it is not emptied.
      expect(stored.length).toBeGreaterThan(0);
      for (const view of views) expect(view).toEqual(order.filter((id) => view.includes(id)));
      const first = kept.length > 0 ? order.indexOf(kept[0]!) : order.length;
      const newerLost = order.filter((id, i) => i > first && !held.has(id));
      expect(newerLost).toEqual([]);
      expect(kept).toEqual(order.slice(order.length - kept.length));
      expect(stored).toEqual(order.filter((id) => stored.includes(id)));
    } finally {
      await own.close();
    }
  });
});
