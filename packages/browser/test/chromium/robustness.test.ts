import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium } from './harness/launchChromium.js';
import './harness/pageGlobals.js';

const base = inject('chromiumBaseUrl');
let browser: Awaited<ReturnType<typeof launchChromium>>;

beforeAll(async () => { browser = await launchChromium(); });
afterAll(async () => { await browser?.close(); });

function openStore(page: Page, name: string): Promise<string> {
  return page.evaluate((n) => {
    window.errors = [];
    window.store = window.SegletTest.openEventStore({ name: n, onError: (e) => window.errors.push(e.code) });
    return window.store.ready;
  }, name);
}

describe('storage failures in Chromium', () => {
  it('continues in memory 3 s after indexedDB.open hangs, and closes the connection that arrives later', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/open-late.html`);
    const result = await page.evaluate(async () => {
      const started = performance.now();
      window.errors = [];
      const store = window.SegletTest.openEventStore({ name: 'late', onError: (e) => window.errors.push(e.code) });
      const mode = await store.ready;
      const elapsed = performance.now() - started;
      store.append([{ type: 'page_view' }]);
      const count = (await store.load()).length;
      // Once the late connection has arrived, an upgrade must go through: nobody holds it open.
      await new Promise((r) => setTimeout(r, 1200));
      const realOpen = (window as unknown as { realOpen: IDBFactory['open'] }).realOpen;
      const upgrade = await new Promise<string>((resolve) => {
        const req = realOpen.call(indexedDB, 'late', 9);
        req.onblocked = () => resolve('blocked');
        req.onsuccess = () => { req.result.close(); resolve('upgraded'); };
        req.onerror = () => resolve(`error ${String(req.error)}`);
      });
      return { mode, elapsed, count, upgrade, stillMemory: store.mode, errors: window.errors };
    });
    expect(result.mode).toBe('memory');
    expect(result.elapsed).toBeGreaterThanOrEqual(2900);
    expect(result.elapsed).toBeLessThan(3600);
    expect(result).toMatchObject({ count: 1, upgrade: 'upgraded', stillMemory: 'memory', errors: ['storage_timeout'] });
    await page.close();
  });

  it('touches no IndexedDB until the store is used (what consent pending relies on)', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/store.html`);
    const names = await page.evaluate(async () => {
      window.SegletTest.openEventStore({ name: 'lazy' });
      await new Promise((r) => setTimeout(r, 100));
      const before = (await indexedDB.databases()).map((d) => d.name);
      const store = window.SegletTest.openEventStore({ name: 'lazy' });
      await store.ready;
      return { before, after: (await indexedDB.databases()).map((d) => d.name) };
    });
    expect(names.before).not.toContain('lazy');
    expect(names.after).toContain('lazy');
    await page.close();
  });

  it('falls back to memory when touching indexedDB throws, reporting storage_unavailable once', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/no-indexeddb.html`);
    const result = await page.evaluate(async () => {
      window.errors = [];
      const store = window.SegletTest.openEventStore({ onError: (e) => window.errors.push(e.code) });
      const mode = await store.ready;
      store.append([{ type: 'a' }, { type: 'b' }]);
      await store.flush();
      await store.setMeta('acked', ['x']);
      return { mode, count: (await store.load()).length, meta: await store.getMeta('acked'), errors: window.errors };
    });
    expect(result).toEqual({ mode: 'memory', count: 2, meta: ['x'], errors: ['storage_unavailable'] });
    await page.close();
  });

  it('discards and reports a corrupt record once, keeping every valid event', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/store.html`);
    expect(await openStore(page, 'corrupt')).toBe('indexeddb');
    await page.evaluate(async () => {
      window.store.append([{ type: 'a' }, { type: 'b' }]);
      await window.store.flush();
      // Damage the store behind the runtime's back, as an old version or a broken extension might.
      await new Promise<void>((resolve, reject) => {
        const req = indexedDB.open('corrupt');
        req.onsuccess = () => {
          const tx = req.result.transaction('kv', 'readwrite');
          tx.objectStore('kv').put({ v: 1, events: 'nope' }, 'e/zz/0');
          tx.objectStore('kv').put({ v: 1, events: [{ id: 'zz:1', type: 'c', t: Date.now() }, { id: 'zz:2' }] }, 'e/zz/1');
          tx.oncomplete = () => { req.result.close(); resolve(); };
          tx.onerror = () => reject(tx.error);
        };
      });
    });
    await page.reload();
    await openStore(page, 'corrupt');
    const first = await page.evaluate(async () => ({ types: (await window.store.load()).map((e) => e.type), errors: [...window.errors] }));
    expect(first).toEqual({ types: ['a', 'b', 'c'], errors: ['corrupt_data'] });
    await page.evaluate(() => window.store.flush());
    await page.reload();
    await openStore(page, 'corrupt');
    const second = await page.evaluate(async () => ({ types: (await window.store.load()).map((e) => e.type), errors: window.errors }));
    expect(second).toEqual({ types: ['a', 'b', 'c'], errors: [] });
    await page.close();
  });

  it("closes on another tab's versionchange (its upgrade is not blocked) and reconnects", async () => {
    const [a, b] = await Promise.all([browser.context.newPage(), browser.context.newPage()]);
    await Promise.all([a.goto(`${base}/store.html`), b.goto(`${base}/store.html`)]);
    await openStore(a, 'upgrade');
    await a.evaluate(async () => { window.store.append([{ type: 'before' }]); await window.store.flush(); });
    const upgrade = await b.evaluate(() => new Promise<string>((resolve) => {
      const req = indexedDB.open('upgrade', 7);
      req.onblocked = () => resolve('blocked');
      req.onsuccess = () => { req.result.close(); resolve('upgraded'); };
      req.onerror = () => resolve(`error ${String(req.error)}`);
    }));
    expect(upgrade).toBe('upgraded');
    const after = await a.evaluate(async () => {
      window.store.append([{ type: 'after' }]);
      await window.store.flush();
      return { types: (await window.store.load()).map((e) => e.type), errors: window.errors };
    });
    expect(after).toEqual({ types: ['before', 'after'], errors: [] });
    await Promise.all([a.close(), b.close()]);
  });

  it('delivers events across tabs over BroadcastChannel, each applied once', async () => {
    const [a, b] = await Promise.all([browser.context.newPage(), browser.context.newPage()]);
    await Promise.all([a.goto(`${base}/store.html`), b.goto(`${base}/store.html`)]);
    await b.evaluate(() => {
      const seen = window.SegletTest.createSeenIds();
      window.received = [];
      window.applied = [];
      window.SegletTest.createTabChannel('seglet', (m) => {
        window.received.push(m);
        if (m.kind === 'events') for (const e of m.events) if (seen.add(e.id)) window.applied.push(e);
      }, 'tab-b');
    });
    await a.evaluate(() => {
      const store = window.SegletTest.openEventStore({ name: 'channel', tabId: 'tab-a' });
      const channel = window.SegletTest.createTabChannel('seglet', () => undefined, 'tab-a');
      const events = store.append([{ type: 'add_to_cart', props: { value: 49 } }, { type: 'page_view' }]);
      channel.post({ kind: 'events', events });
      channel.post({ kind: 'events', events });
      channel.post({ kind: 'consent', consent: 'granted' });
    });
    await b.waitForFunction(() => window.received.length === 3);
    const got = await b.evaluate(() => ({ applied: window.applied.map((e) => e.id), kinds: window.received.map((m) => m.kind) }));
    expect(got).toEqual({ applied: ['tab-a:0', 'tab-a:1'], kinds: ['events', 'events', 'consent'] });
    await Promise.all([a.close(), b.close()]);
  });
});
