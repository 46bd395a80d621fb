import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Segments } from '../../src/types.js';
import type { BeaconPage } from './fixtures/beaconEntry.js';
import { buildScript } from './fixtures/facadeServer.js';
import { buildBundle } from './harness/buildBundle.js';
import { launchChromium } from './harness/launchChromium.js';
import { serveStatic } from './harness/serveStatic.js';

declare global {
  interface Window {
    t: BeaconPage;
    /** `beacon-forget.html`: every `seglet:error` of the script tag, as `code message`. */
    segletErrors: string[];
    /** Set by the tab holding the Web Lock `seglet:store`: lets it go. */
    releaseStoreLock?: () => void;
  }
}

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../../..');
const cli = join(root, 'packages/collector/dist/cli.js');
const TOKEN = 't';

let tmp: string;
let server: Server;
let origin: string;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let collector: ChildProcess | null = null;
let collectorUrl = '';
/** Every request Chromium made to the collector: batch id, transport, and the status that came back (0: failed). */
const wire: { id: string; type: string; status?: number; body: string }[] = [];

/** Starts the real collector CLI on `port` (0: a free one) over the test database; resolves once it listens. */
async function startCollector(port: number): Promise<void> {
  const child = spawn(process.execPath, [
    cli, '--port', String(port), '--db', join(tmp, 'collector.db'), '--allow-origin', origin, '--token', TOKEN, '--rate-limit', '0',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => { err += String(d); });
  collectorUrl = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += String(d);
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) ok(m[1]!);
    });
    child.once('exit', (code) => fail(new Error(`collector exited ${code}: ${err}`)));
  });
  collector = child;
}

async function stopCollector(): Promise<void> {
  const child = collector;
  collector = null;
  if (!child || child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

async function api<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${collectorUrl}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: res.status, body: (await res.json()) as T };
}
const members = async (anon: string): Promise<string[] | null> => {
  const r = await api<{ members: string[] }>(`/v1/profiles/${anon}`);
  return r.status === 200 ? [...r.body.members].sort() : null;
};
interface SegmentCount { id: string; members: number; enters: number; exits: number }
async function segmentCounts(ids: string[]): Promise<SegmentCount[]> {
  const { body } = await api<{ segments: { id: string; members: number; days: { enters: number; exits: number }[] }[] }>('/v1/segments?days=2');
  return ids.map((id) => {
    const s = body.segments.find((x) => x.id === id);
    const sum = (k: 'enters' | 'exits'): number => (s?.days ?? []).reduce((n, d) => n + d[k], 0);
    return { id, members: s?.members ?? 0, enters: sum('enters'), exits: sum('exits') };
  });
}

const pageUrl = (q: Record<string, string>): string => `${origin}/beacon-page.html?${new URLSearchParams({ url: `${collectorUrl}/v1/beacon`, ...q })}`;
/** Waits until the page's beacon has loaded its state (flush awaits it), so pagehide has a base to diff. */
const settled = (page: Page): Promise<void> => page.evaluate(() => window.t.beacon.flush());
const storedQueue = (page: Page): Promise<number> => page.evaluate(async () => ((await window.t.store.getMeta<{ queue: unknown[] }>('beacon'))?.queue.length ?? -1));
const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** The script tag (`/build/seglet.js`) beaconing to the collector; its rules: `f-cart` from one `add_to_cart`, `f-buyer` from two. */
const forgetPageUrl = (): string => `${origin}/beacon-forget.html?${new URLSearchParams({ url: `${collectorUrl}/v1/beacon` })}`;
const segmentsReady = (page: Page): Promise<void> => page.evaluate(() => (window.segments as Segments).ready);
/** What the script tag's database `seglet` holds, read directly: the stored anonymous id and the ids of the stored events. */
const storedFacade = (page: Page): Promise<{ anon: unknown; events: string[] }> => page.evaluate(() => new Promise((done, fail) => {
  const open = indexedDB.open('seglet');
  open.onerror = () => fail(open.error);
  open.onsuccess = () => {
    const db = open.result;
    const read = db.transaction('kv', 'readonly').objectStore('kv').openCursor();
    const out = { anon: undefined as unknown, events: [] as string[] };
    read.onerror = () => fail(read.error);
    read.onsuccess = () => {
      const cursor = read.result;
      if (!cursor) { db.close(); done(out); return; }
      const key = String(cursor.key);
      if (key === 'm/anonymousId') out.anon = cursor.value;
      else if (key.startsWith('e/')) out.events.push(...(cursor.value as { events: { id: string }[] }).events.map((e) => e.id));
      cursor.continue();
    };
  };
}));

beforeAll(async () => {
  if (!existsSync(cli)) {
    const build = spawnSync('npx', ['-y', 'pnpm@10.34.8', 'run', 'build'], { cwd: root, env: { ...process.env, SEGLET_BUILD: 'core,collector' }, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('seglet: building the collector failed');
  }
  tmp = mkdtempSync(join(tmpdir(), 'seglet-beacon-e2e-'));
  await Promise.all([
    buildBundle(join(here, 'fixtures/beaconEntry.ts'), join(tmp, 'beacon.js'), 'SegletBeacon'),
    buildScript(join(tmp, 'seglet.js')),
  ]);
  ({ url: origin, server } = await serveStatic({ '/': join(here, 'pages'), '/build/': tmp }));
  await startCollector(0);
  browser = await launchChromium();
  browser.context.on('request', (r) => {
    if (!r.url().startsWith(`${collectorUrl}/v1/beacon`) || r.method() !== 'POST') return;
    const body = r.postData() ?? '';
    const entry: (typeof wire)[number] = { id: (JSON.parse(body) as { id: string }).id, type: r.resourceType(), body };
    wire.push(entry);
    void r.response().then((res) => { entry.status = res?.status() ?? 0; }, () => { entry.status = 0; });
  });
});

afterAll(async () => {
  await browser?.close();
  await stopCollector();
  await new Promise((r) => server?.close(r));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('beacon against the real collector', () => {
  it('delivers a segment entered right before navigating away, and the next load adds nothing', async () => {
    const anon = 'e2e-exit';
    const page = await browser.context.newPage();
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
    const pages = await Promise.all([0, 1, 2].map(() => browser.context.newPage()));
    await Promise.all(pages.map((p) => p.goto(pageUrl({ anon, db: 'tabs' }))));
    await Promise.all(pages.map(settled));
    await Promise.all(pages.map((p) => p.evaluate(() => window.t.beacon.update(['tabs-x']))));
    await expect.poll(() => members(anon), { timeout: 10_000, interval: 100 }).toEqual(['tabs-x']);
    await pause(2500);
    const mine = wire.filter((w) => JSON.parse(w.body).anonymousId === anon);
    expect(mine.map((w) => w.status)).toEqual([204]);
    expect(await segmentCounts(['tabs-x'])).toEqual([{ id: 'tabs-x', members: 1, enters: 1, exits: 0 }]);
    await Promise.all(pages.map((p) => p.close()));
  });

  it('queues through a collector outage and a reload; every batch arrives, each applied once', async () => {
    const anon = 'e2e-outage';
    const port = Number(new URL(collectorUrl).port);
    const page = await browser.context.newPage();
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
      const res = await fetch(`${collectorUrl}/v1/beacon`, { method: 'POST', headers: { origin, 'content-type': 'text/plain;charset=UTF-8' }, body: mine.find((w) => w.id === id)!.body });
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
    const page = await browser.context.newPage();
    await page.goto(forgetPageUrl());
    await segmentsReady(page);
    // Another tab holds the store's Web Lock `seglet:store` across the reload, as a tab pruning
    // would: the forgetting page's clear waits for it, so that page is gone before it queues the
    // forget request, every round. Unheld, the reload's round trip often left it time to send it
    // itself, and the next page's part went untested.
    const locker = await browser.context.newPage();
    await locker.goto(`${origin}/beacon-away.html`);
    const forgets = (from: number): (typeof wire) => wire.slice(from).filter((w) => (JSON.parse(w.body) as { forget?: true }).forget === true);
    const seen: string[] = [];
    for (let round = 0; round < 3; round++) {
      const at = wire.length;
      await page.evaluate(async () => {
        (window.segments as Segments).track('add_to_cart');
        (window.segments as Segments).track('add_to_cart');
        await (window.segments as Segments).flush();
      });
      const before = await storedFacade(page);
      expect(before.events, `round ${round}`).toHaveLength(2);
      const anon = before.anon as string;
      expect(anon, `round ${round}`).toMatch(/^[\w-]{8,}$/);
      // A new page after each forget: a new id every round.
      expect(seen).not.toContain(anon);
      seen.push(anon);
      // The memberships went out under that id.
      await expect.poll(() => members(anon), { timeout: 10_000, interval: 100 }).toEqual(['f-buyer', 'f-cart']);
      expect(forgets(at)).toEqual([]);

      await locker.evaluate(() => new Promise<void>((held) => {
        void navigator.locks.request('seglet:store', () => new Promise<void>((release) => { window.releaseStoreLock = release; held(); }));
      }));
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
      await locker.evaluate(() => window.releaseStoreLock?.());
      await segmentsReady(page);

      // (a) The forget request for exactly that id reached the collector, which no longer has the profile.
      await expect.poll(() => forgets(at).some((w) => w.status === 204), { timeout: 15_000, interval: 100 }).toBe(true);
      expect(new Set(forgets(at).map((w) => (JSON.parse(w.body) as { anonymousId: string }).anonymousId)), `round ${round}`).toEqual(new Set([anon]));
      expect(await members(anon), `round ${round}`).toBeNull();
      expect(await segmentCounts(['f-cart', 'f-buyer'])).toMatchObject([{ id: 'f-cart', members: 0 }, { id: 'f-buyer', members: 0 }]);
      // (b) Nothing of the old page's events is left in IndexedDB, and (c) the new page runs under another id.
      const after = await storedFacade(page);
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
