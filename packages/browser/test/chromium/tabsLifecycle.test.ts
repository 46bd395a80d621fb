import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RuleSet } from '@seglet/core';
import { rulesHash } from '../../src/dom/rulesHash.js';
import type { Segments } from '../../src/types.js';
import { startFacadeServer } from './fixtures/facadeServer.js';
import { CHROMIUM, CHROMIUM_FLAGS } from './harness/launchChromium.js';

// Tabs and page lifecycle (runtime.md sections 2, 3 and 7) in real Chromium: back/forward-cache
// restores, frozen pages, time-driven enters and exits across tabs, retention across tabs and
// reloads, and first paint after a rule change. Pages: `pages/lifecycle.html` (rules from the query).

/** What `lifecycle.html` puts on `window`. */
interface PageWindow {
  segments: Segments;
  log: { kind: 'enter' | 'exit'; id: string; t: number }[];
  pageshows: { persisted: boolean; t: number }[];
  frames_: string[][];
  early: string[];
  kept?: number;
}
type Rules = { version: 1; retain?: { events?: number; for?: string }; segments: Record<string, unknown> };
// Page functions are serialised into the page, so they name `window` with this cast rather than a helper.

let server: Awaited<ReturnType<typeof startFacadeServer>>;
let context: BrowserContext;
let profile = '';
const pages: Page[] = [];

beforeAll(async () => {
  profile = mkdtempSync(join(tmpdir(), 'seglet-lifecycle-'));
  [server, context] = await Promise.all([startFacadeServer(), chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, timeout: 30_000,
    // The back/forward cache on (Playwright turns it off), for pages answered with any Cache-Control.
    args: [...CHROMIUM_FLAGS, '--enable-features=CacheControlNoStoreEnterBackForwardCache:level/restore-unless-http-only-cookie-change'],
    ignoreDefaultArgs: ['--disable-back-forward-cache'],
  })]);
});
afterAll(async () => {
  await context?.close().catch(() => undefined);
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(pages.splice(0).map((p) => p.close().catch(() => undefined)));
  for (const done of cleanups.splice(0)) await done();
  // Back to a first visit: no database, no snapshot, no cookie.
  const page = await context.newPage();
  await page.goto(`${server.base}/facade-other.html`);
  await page.evaluate(() => new Promise((done) => {
    localStorage.clear();
    sessionStorage.clear();
    const req = indexedDB.deleteDatabase('seglet');
    req.onsuccess = req.onerror = req.onblocked = done;
  }));
  await context.clearCookies();
  await page.close();
});

/**
 * A second Chromium whose pages can be frozen: Playwright's focus emulation keeps the pages it
 * launches visible, and Chromium freezes only hidden pages, so this one is attached over CDP with
 * `noDefaults` (headless pages are then hidden; timers not throttled). Closed after the test.
 */
async function freezableBrowser(): Promise<BrowserContext> {
  const dir = mkdtempSync(join(tmpdir(), 'seglet-lifecycle-frozen-'));
  const proc = spawn(CHROMIUM, [
    ...CHROMIUM_FLAGS, '--disable-background-timer-throttling', '--disable-renderer-backgrounding',
    '--remote-debugging-port=0', `--user-data-dir=${dir}`, 'about:blank',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let text = '';
    proc.stderr.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /DevTools listening on (ws:\S+)/.exec(text);
      if (m) resolve(m[1]!);
    });
    proc.once('exit', () => reject(new Error(`chromium exited: ${text}`)));
  });
  const browser = await chromium.connectOverCDP(endpoint, { noDefaults: true });
  cleanups.push(async () => {
    // A graceful shutdown (its helper processes end first), then the profile goes.
    const exited = proc.exitCode === null ? once(proc, 'exit') : Promise.resolve();
    await (await browser.newBrowserCDPSession()).send('Browser.close').catch(() => proc.kill());
    await exited;
    await browser.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
  });
  return browser.contexts()[0]!;
}
const cleanups: (() => Promise<void>)[] = [];

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const url = (rules: Rules, opts: { collect?: string; cookie?: boolean; show?: string[] } = {}): string => {
  const q = new URLSearchParams({ rules: JSON.stringify(rules), collect: opts.collect ?? 'none' });
  if (opts.cookie) q.set('cookie', 'true');
  if (opts.show) q.set('show', opts.show.join(','));
  return `${server.base}/lifecycle.html?${q.toString()}`;
};
const ready = (page: Page): Promise<unknown> => page.evaluate(() => (window as unknown as PageWindow).segments.ready.then(() => undefined));
/** A new tab at `href`, ready. */
async function open(href: string, where: BrowserContext = context): Promise<Page> {
  const page = await where.newPage();
  pages.push(page);
  page.on('pageerror', (e) => { throw e; });
  await page.goto(href);
  await ready(page);
  return page;
}
async function reload(page: Page): Promise<void> {
  await page.reload();
  await ready(page);
}
const log = (page: Page): Promise<PageWindow['log']> => page.evaluate(() => (window as unknown as PageWindow).log);
const members = (page: Page): Promise<string[]> => page.evaluate(() => (window as unknown as PageWindow).segments.members().sort());
/** Tracks `type {i}` in the page; resolves with the page's clock at the call, past every earlier call's millisecond. */
const track = (page: Page, type: string, i?: number | string): Promise<number> => page.evaluate(async ([kind, n]) => {
  await new Promise((r) => setTimeout(r, 2));
  const t = Date.now();
  (window as unknown as PageWindow).segments.track(kind as string, n === null ? undefined : { i: n });
  await (window as unknown as PageWindow).segments.flush();
  return t;
}, [type, i ?? null] as const);

/** The page's engine events (debug hook), as `type` or `type#i`, oldest first. */
const engineEvents = (page: Page): Promise<string[]> => page.evaluate(() => {
  const hook = ((window as unknown as PageWindow).segments as unknown as Record<symbol, () => { engine: { events(): { type: string; props?: Record<string, unknown> }[] } | null }>)[Symbol.for('seglet.debug')]!;
  return (hook().engine?.events() ?? []).map((e) => (e.props?.i === undefined ? e.type : `${e.type}#${String(e.props.i)}`));
});
/** Every event stored in the database `seglet`, as `type` or `type#i` (in key order). */
const storedEvents = (page: Page): Promise<string[]> => page.evaluate(() => new Promise<string[]>((done, fail) => {
  const open = indexedDB.open('seglet');
  open.onerror = () => fail(open.error);
  open.onsuccess = () => {
    const db = open.result;
    const read = db.transaction('kv', 'readonly').objectStore('kv').openCursor();
    const out: string[] = [];
    read.onsuccess = () => {
      const cursor = read.result;
      if (!cursor) { db.close(); done(out); return; }
      if (String(cursor.key).startsWith('e/')) {
        for (const e of (cursor.value as { events: { type: string; props?: Record<string, unknown> }[] }).events) {
          out.push(e.props?.i === undefined ? e.type : `${e.type}#${String(e.props.i)}`);
        }
      }
      cursor.continue();
    };
    read.onerror = () => fail(read.error);
  };
}));
const dupes = (list: string[]): string[] => list.filter((x, i) => list.indexOf(x) !== i);
const range = (type: string, from: number, to: number): string[] => Array.from({ length: to - from }, (_, k) => `${type}#${from + k}`);

/**
 * Leaves the page for one without seglet, stays `stay` ms, comes back: whether the same JS heap came
 * back (back/forward cache), and the time the way back started.
 */
async function awayAndBack(page: Page, stay: number): Promise<{ restored: boolean; backAt: number }> {
  await page.evaluate(() => { (window as unknown as PageWindow).kept = 1; });
  await page.click('#away');
  await page.waitForURL('**/facade-other.html');
  if (stay > 0) await pause(stay);
  const backAt = Date.now();
  await page.goBack({ waitUntil: 'commit' });
  await page.waitForFunction(() => (window as unknown as PageWindow).pageshows?.length === 2 || (window as unknown as PageWindow).kept === undefined);
  return { restored: await page.evaluate(() => (window as unknown as PageWindow).kept === 1), backAt };
}

const ABANDONED: Rules = { version: 1, segments: { gone: { when: { abandoned: 'add_to_cart', unless: 'purchase', after: '3s' } } } };

describe('back/forward cache and frozen pages: time-driven enters', () => {
  it('restored from the back/forward cache after the abandoned instant passed: the enter fires once, promptly after the restore, never early; no second page_view', async () => {
    const page = await open(url(ABANDONED, { collect: 'pageViews' }));
    const t0 = await track(page, 'add_to_cart');
    const { restored, backAt } = await awayAndBack(page, t0 + 3300 - Date.now());
    expect(restored).toBe(true);
    expect(backAt).toBeGreaterThanOrEqual(t0 + 3000);
    const shows = await page.evaluate(() => (window as unknown as PageWindow).pageshows);
    expect(shows.map((s) => s.persisted)).toEqual([false, true]);
    await expect.poll(() => log(page), { timeout: 3000, interval: 50 }).toHaveLength(1);
    await pause(300);
    const entries = await log(page);
    expect(entries.map((e) => `${e.kind} ${e.id}`)).toEqual(['enter gone']);
    // Not while the page was in the cache: once the way back started, within 0.8 s of the pageshow.
    expect(entries[0]!.t).toBeGreaterThanOrEqual(backAt);
    expect(Math.abs(entries[0]!.t - shows[1]!.t)).toBeLessThan(800);
    expect(await members(page)).toEqual(['gone']);
    expect((await engineEvents(page)).filter((e) => e === 'page_view')).toEqual(['page_view']);
  });

  it('restored from the back/forward cache before the abandoned instant: the enter fires at the instant, once', async () => {
    const page = await open(url(ABANDONED, { collect: 'pageViews' }));
    const t0 = await track(page, 'add_to_cart');
    expect((await awayAndBack(page, 0)).restored).toBe(true);
    const shows = await page.evaluate(() => (window as unknown as PageWindow).pageshows);
    expect(shows.map((s) => s.persisted)).toEqual([false, true]);
    expect(shows[1]!.t).toBeLessThan(t0 + 3000);
    expect(await log(page)).toEqual([]);
    await expect.poll(() => log(page), { timeout: 5000, interval: 50 }).toHaveLength(1);
    await pause(300);
    const entries = await log(page);
    expect(entries.map((e) => `${e.kind} ${e.id}`)).toEqual(['enter gone']);
    expect(entries[0]!.t).toBeGreaterThanOrEqual(t0 + 3000);
    expect(entries[0]!.t).toBeLessThan(t0 + 3800);
    expect((await engineEvents(page)).filter((e) => e === 'page_view')).toEqual(['page_view']);
  });

  it('a frozen page gets the abandoned enter once after it resumes, and another tab\'s event exactly once', async () => {
    const other = await freezableBrowser();
    const [a, b] = [await open(url(ABANDONED), other), await open(url(ABANDONED), other)];
    const t0 = await track(a, 'add_to_cart', 'a');
    await expect.poll(() => engineEvents(b), { timeout: 3000, interval: 50 }).toEqual(['add_to_cart#a']);
    const cdp = await other.newCDPSession(a);
    await a.evaluate(() => { document.addEventListener('freeze', () => { (window as unknown as { froze?: number }).froze = Date.now(); }); });
    await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
    await track(b, 'view_item', 'b');
    await expect.poll(() => log(b), { timeout: 5000, interval: 50 }).toHaveLength(1);
    await pause(Math.max(0, t0 + 3300 - Date.now()));
    const resumed = Date.now();
    await cdp.send('Page.setWebLifecycleState', { state: 'active' });
    await expect.poll(() => log(a), { timeout: 3000, interval: 50 }).toHaveLength(1);
    await expect.poll(() => engineEvents(a), { timeout: 3000, interval: 50 }).toEqual(['add_to_cart#a', 'view_item#b']);
    await pause(300);
    const [la, lb] = [await log(a), await log(b)];
    expect(la.map((e) => `${e.kind} ${e.id}`)).toEqual(['enter gone']);
    expect(lb.map((e) => `${e.kind} ${e.id}`)).toEqual(['enter gone']);
    // It really was frozen (a page Playwright keeps visible never is), and entered only once resumed.
    expect(await a.evaluate(() => typeof (window as unknown as { froze?: number }).froze)).toBe('number');
    expect(la[0]!.t).toBeGreaterThanOrEqual(resumed);
    expect(la[0]!.t - resumed).toBeLessThan(1000);
    expect(lb[0]!.t).toBeGreaterThanOrEqual(t0 + 3000);
    expect(await engineEvents(a)).toEqual(['add_to_cart#a', 'view_item#b']);
    expect(await engineEvents(b)).toEqual(['add_to_cart#a', 'view_item#b']);
  });
});

describe('time-driven changes across tabs', () => {
  it('a second add_to_cart in another tab moves the abandoned instant: each tab enters once, within 0.8 s of the new instant, never early', async () => {
    const [a, b] = [await open(url(ABANDONED)), await open(url(ABANDONED))];
    const t0 = await track(a, 'add_to_cart', 1);
    await pause(t0 + 1500 - Date.now());
    const t1 = await track(b, 'add_to_cart', 2);
    await expect.poll(() => engineEvents(a), { timeout: 3000, interval: 50 }).toEqual(['add_to_cart#1', 'add_to_cart#2']);
    for (const p of [a, b]) await expect.poll(() => log(p), { timeout: 6000, interval: 50 }).toHaveLength(1);
    await pause(300);
    for (const p of [a, b]) {
      const entries = await log(p);
      expect(entries.map((e) => `${e.kind} ${e.id}`)).toEqual(['enter gone']);
      expect(entries[0]!.t).toBeGreaterThanOrEqual(t1 + 3000);
      expect(entries[0]!.t).toBeLessThan(t1 + 3800);
    }
  });

  it('retain.for 3s: the exit fires at its instant in both of two tabs, and a fresh load starts without the membership', async () => {
    const rules: Rules = { version: 1, retain: { for: '3s' }, segments: { cart: { when: { count: 'add_to_cart', gte: 1 } } } };
    const [a, b] = [await open(url(rules)), await open(url(rules))];
    const t0 = await track(a, 'add_to_cart');
    await expect.poll(() => members(b), { timeout: 3000, interval: 50 }).toEqual(['cart']);
    for (const p of [a, b]) await expect.poll(() => log(p), { timeout: 6000, interval: 50 }).toHaveLength(2);
    for (const p of [a, b]) {
      const entries = await log(p);
      expect(entries.map((e) => `${e.kind} ${e.id}`)).toEqual(['enter cart', 'exit cart']);
      expect(entries[1]!.t).toBeGreaterThanOrEqual(t0 + 3000);
      expect(entries[1]!.t).toBeLessThan(t0 + 3800);
      expect(await members(p)).toEqual([]);
    }
    const c = await open(url(rules));
    expect(await c.evaluate(() => (window as unknown as PageWindow).early)).toEqual([]);
    await pause(200);
    expect(await members(c)).toEqual([]);
    expect(await log(c)).toEqual([]);
    expect(await engineEvents(c)).toEqual([]);
  });
});

describe('retention across three tabs', () => {
  it('retain.events 5: every engine holds the same newest 5 events live and after reloads, memberships agree, nothing is stored twice', async () => {
    const rules: Rules = { version: 1, retain: { events: 5 }, segments: { five: { when: { count: 'ev', gte: 5 } }, six: { when: { count: 'ev', gte: 6 } } } };
    const tabs = [await open(url(rules)), await open(url(rules)), await open(url(rules))];
    for (let k = 0; k < 12; k++) await track(tabs[k % 3]!, 'ev', k);
    const newest = range('ev', 7, 12);
    for (const p of tabs) await expect.poll(() => engineEvents(p), { timeout: 3000, interval: 50 }).toEqual(newest);
    for (const p of tabs) expect(await members(p)).toEqual(['five']);
    for (const p of tabs) await reload(p);
    for (const p of tabs) {
      expect(await engineEvents(p)).toEqual(newest);
      expect(await members(p)).toEqual(['five']);
      expect(await log(p)).toHaveLength(1);
    }
    const stored = await storedEvents(tabs[0]!);
    expect(dupes(stored)).toEqual([]);
    // The store keeps the larger of retain.events and the default (10,000): all 12, each once.
    expect([...stored].sort()).toEqual(range('ev', 0, 12).sort());
  });

  it('retain.events 50, 60 events written by three tabs at once: after reloads every engine holds exactly the newest 50 and the store each event once', async () => {
    const rules: Rules = { version: 1, retain: { events: 50 }, segments: { fifty: { when: { count: 'ev', gte: 50 } } } };
    const tabs = [await open(url(rules)), await open(url(rules)), await open(url(rules))];
    const base = Date.now() - 5000;
    // Tab n writes events n, n+3, ... with distinct explicit times (event k at base + k): "newest" is exact.
    await Promise.all(tabs.map((p, n) => p.evaluate(async ([tab, t0]) => {
      for (let k = tab; k < 60; k += 3) {
        (window as unknown as PageWindow).segments.track('ev', { i: k }, { t: t0 + k });
        if (k % 2 === 0) await new Promise((r) => setTimeout(r, (k * 7) % 4));
      }
      await (window as unknown as PageWindow).segments.flush();
    }, [n, base] as const)));
    const newest = range('ev', 10, 60);
    for (const p of tabs) await expect.poll(() => engineEvents(p), { timeout: 5000, interval: 50 }).toEqual(newest);
    for (const p of tabs) await reload(p);
    for (const p of tabs) {
      expect(await engineEvents(p)).toEqual(newest);
      expect(await members(p)).toEqual(['fifty']);
    }
    const stored = await storedEvents(tabs[0]!);
    expect(dupes(stored)).toEqual([]);
    expect([...stored].sort()).toEqual(range('ev', 0, 60).sort());
  });
});

describe('first paint after a rule change', () => {
  it('a segment removed from the rules between loads is not painted from the snapshot or the seglet_m cookie, and the cookie is rewritten without it; unchanged rules: no flicker, one enter each', async () => {
    const both: Rules = { version: 1, segments: { keep: { when: { count: 'add_to_cart', gte: 1 } }, dropped: { when: { count: 'add_to_cart', gte: 1 } } } };
    const only: Rules = { version: 1, segments: { keep: { when: { count: 'add_to_cart', gte: 1 } } } };
    const show = ['keep', 'dropped'];
    const page = await open(url(both, { cookie: true, show }));
    await track(page, 'add_to_cart');
    expect(await members(page)).toEqual(['dropped', 'keep']);
    await expect.poll(() => page.evaluate(() => document.cookie), { timeout: 3000, interval: 50 }).toMatch(/seglet_m=(keep,dropped|dropped,keep)/);
    const cookie = () => page.evaluate(() => document.cookie.split('; ').find((c) => c.startsWith('seglet_m='))?.slice(9).split(',').sort());
    const firstPaint = () => page.evaluate(() => ({ early: (window as unknown as PageWindow).early, frames: (window as unknown as PageWindow).frames_ }));
    const state = async () => ({ ...(await firstPaint()), members: await members(page), log: (await log(page)).map((e) => `${e.kind} ${e.id}`), cookie: await cookie() });

    /** `keep` alone from the first frame, in the cookie, entered once. */
    const expectOnlyKeep = (seen: Awaited<ReturnType<typeof state>>) => {
      expect(seen.early).toEqual(['keep']);
      expect(seen.frames.length).toBeGreaterThan(0);
      for (const frame of seen.frames) expect(frame).toEqual(['show-keep']);
      expect(seen.members).toEqual(['keep']);
      expect(seen.cookie).toEqual(['keep']);
      expect(seen.log).toEqual(['enter keep']);
    };
    /** Loads the page under the changed rules; see expectOnlyKeep. */
    const loadShowsOnlyKeep = async () => {
      await page.goto(url(only, { cookie: true, show }));
      await ready(page);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      expectOnlyKeep(await state());
    };

    // The rules change: the snapshot (other rules hash) and the cookie both still name `dropped`.
    // The snapshot is ignored (other rules hash); the cookie answers, without the unknown `dropped`.
    await loadShowsOnlyKeep();

    // Only the cookie (no snapshot), still naming `dropped`, as an edge worker's page would have it.
    await page.evaluate(() => { localStorage.removeItem('seglet:m'); document.cookie = 'seglet_m=keep,dropped; Path=/; SameSite=Lax'; });
    await loadShowsOnlyKeep();

    // Unchanged rules: the snapshot paints `keep` from the first frame, and the enter fires once.
    await reload(page);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await pause(200);
    expectOnlyKeep(await state());
  });

  it('a tab open across a deploy leaves the newer rules\' snapshot alone, so new pages on them paint from it, until that tab changes on its own', async () => {
    const alike = { viewer: { when: { count: 'view', gte: 1 } }, twice: { when: { count: 'view', gte: 2 } } };
    const before: Rules = { version: 1, segments: { keep: { when: { count: 'add_to_cart', gte: 1 } }, legacy: { when: { count: 'add_to_cart', gte: 1 } }, ...alike } };
    const after: Rules = { version: 1, segments: { keep: { when: { count: 'add_to_cart', gte: 1 } }, fresh: { when: { count: 'purchase', gte: 1 } }, ...alike } };
    const show = ['keep', 'fresh', 'viewer', 'twice'];
    const old = await open(url(before, { show, cookie: true }));
    await pause(20);
    const current = await open(url(after, { show, cookie: true }));
    const snapshotRules = () => old.evaluate(() => (JSON.parse(localStorage.getItem('seglet:m') ?? 'null') as { rules: string } | null)?.rules);
    /** A new page on the newer rules: what it answered and showed from its first frame. */
    const firstFrames = async () => {
      const next = await context.newPage();
      pages.push(next);
      await next.goto(url(after, { show, cookie: true }));
      await ready(next);
      const seen = await next.evaluate(() => ({ early: (window as unknown as PageWindow).early, frames: (window as unknown as PageWindow).frames_ }));
      await next.close();
      return { early: [...seen.early].sort(), first: [...(seen.frames[0] ?? [])].sort() };
    };
    // An event only the newer rules count, tracked in the older tab: the newer tab enters fresh.
    await track(old, 'purchase');
    await expect.poll(() => members(current), { timeout: 3000, interval: 50 }).toEqual(['fresh']);
    // An event both count, tracked in the newer tab: the older tab hears of it last.
    await track(current, 'add_to_cart');
    await expect.poll(() => members(old), { timeout: 3000, interval: 50 }).toEqual(['keep', 'legacy']);
    // And one both count, tracked in the older tab, which changes first.
    await track(old, 'view');
    await expect.poll(() => members(current), { timeout: 3000, interval: 50 }).toEqual(['fresh', 'keep', 'viewer']);
    await pause(300);
    expect(await snapshotRules()).toBe(rulesHash(after as RuleSet));
    expect(await firstFrames()).toEqual({ early: ['fresh', 'keep', 'viewer'], first: ['show-fresh', 'show-keep', 'show-viewer'] });
    // The newer tab closes and the older one changes on its own: the snapshot, which no tab keeps
    // up to date now, is not used (it lacks twice); the older tab's seglet_m cookie answers.
    await current.close();
    await track(old, 'view');
    await expect.poll(() => members(old), { timeout: 3000, interval: 50 }).toEqual(['keep', 'legacy', 'twice', 'viewer']);
    await pause(300);
    expect(await snapshotRules()).toBe(rulesHash(after as RuleSet));
    expect(await firstFrames()).toEqual({ early: ['keep', 'twice', 'viewer'], first: ['show-keep', 'show-twice', 'show-viewer'] });
  });
});
