import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { Segments } from '../../../src/types.js';
import { buildScript } from '../fixtures/facadeServer.js';
import { buildBundle } from './buildBundle.js';
import { launchChromium } from './launchChromium.js';
import { serveStatic } from './serveStatic.js';

declare global {
  interface Window {
    /** `beacon-forget.html`: every `seglet:error` of the script tag, as `code message`. */
    segletErrors: string[];
    /** Set by a tab holding Web Locks (`holdLock`): lets each go. */
    releaseLocks?: Record<string, () => void>;
  }
}

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../../../..');
const cli = join(root, 'packages/collector/dist/cli.js');
const TOKEN = 't';

/** A beacon request Chromium made, seen by Playwright: batch id, transport, and the status that came back (0: failed). */
export interface WireEntry { id: string; type: string; status?: number; body: string }
/** A beacon request as it reached the loopback relay in front of the collector (sendBeacon in pagehide included). */
export interface Received {
  at: number;
  body: { id: string; anonymousId: string; userId?: string; forget?: true; changes?: unknown[]; members?: string[] };
  /** The collector's answer; 0 when it was down (the relay then drops the connection, as a dead host would). */
  status: number;
}
export interface SegmentCount { id: string; members: number; enters: number; exits: number }
/** What the script tag's database `seglet` holds, read directly. */
export interface StoredFacade {
  anon: unknown;
  events: string[];
  /** The beacon's stored queue: anonymous id and whether each batch is a forget request. */
  queue: { anonymousId: string; forget: boolean }[];
}

/**
 * The real collector CLI on loopback behind a recording relay, the test pages (`/`) and bundles
 * (`/build/seglet.js` the script tag, `/build/beacon.js` the bare beacon), and Chromium with a
 * fresh profile. Registers its own `beforeAll`/`afterAll`; read the fields from inside tests.
 *
 * The relay sees every request, `navigator.sendBeacon` ones during `pagehide` included, which the
 * `wire` (Playwright's view) misses. The pages' beacon URL is the relay's, stable across collector
 * restarts: with the collector stopped the relay drops each connection, a network error.
 */
export function useCollectorE2e(prefix: string) {
  const h = {
    tmp: '',
    origin: '',
    browser: null as Awaited<ReturnType<typeof launchChromium>> | null,
    /** Where the collector listens now (read API); beacons go through `beaconUrl`. */
    collectorUrl: '',
    relayUrl: '',
    wire: [] as WireEntry[],
    received: [] as Received[],
    get context() { return h.browser!.context; },
    get beaconUrl() { return `${h.relayUrl}/v1/beacon`; },
    startCollector,
    stopCollector,
    api,
    members,
    segmentCounts,
    storedFacade,
    /** Beacon requests the relay received from `from` on, parsed. */
    receivedFor: (anon: string, from = 0): Received[] => h.received.slice(from).filter((r) => r.body.anonymousId === anon),
  };
  let server: Server;
  let relay: Server;
  let collector: ChildProcess | null = null;

  /** Starts the real collector CLI on `port` (0: a free one) over the test database; resolves once it listens. */
  async function startCollector(port = 0): Promise<void> {
    const child = spawn(process.execPath, [
      cli, '--port', String(port), '--db', join(h.tmp, 'collector.db'), '--allow-origin', h.origin, '--token', TOKEN, '--rate-limit', '0',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += String(d); });
    h.collectorUrl = await new Promise<string>((ok, fail) => {
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

  /** Forwards to the collector as it is; records each beacon POST with the status it got. */
  function startRelay(): Promise<void> {
    relay = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        let entry: Received | null = null;
        if (req.method === 'POST' && req.url?.startsWith('/v1/beacon')) {
          try { entry = { at: Date.now(), body: JSON.parse(raw.toString('utf8')) as Received['body'], status: 0 }; } catch { entry = null; }
          if (entry) h.received.push(entry);
        }
        if (!collector) { req.socket.destroy(); return; }
        const upstream = new URL(h.collectorUrl);
        const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
          if (entry) entry.status = answer.statusCode ?? 0;
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        out.on('error', () => req.socket.destroy());
        out.end(raw);
      });
    });
    return new Promise<void>((ok) => relay.listen(0, '127.0.0.1', () => {
      const address = relay.address();
      if (address !== null && typeof address !== 'string') h.relayUrl = `http://127.0.0.1:${address.port}`;
      ok();
    }));
  }

  async function api<T>(path: string, method = 'GET'): Promise<{ status: number; body: T }> {
    const res = await fetch(`${h.collectorUrl}${path}`, { method, headers: { authorization: `Bearer ${TOKEN}` } });
    const text = await res.text();
    return { status: res.status, body: (text === '' ? null : JSON.parse(text)) as T };
  }
  /** The collector's profile of `anon`: its sorted members, or null when it has none. */
  async function members(anon: string): Promise<string[] | null> {
    const r = await api<{ members: string[] }>(`/v1/profiles/${anon}`);
    return r.status === 200 ? [...r.body.members].sort() : null;
  }
  async function segmentCounts(ids: string[]): Promise<SegmentCount[]> {
    const { body } = await api<{ segments: { id: string; members: number; days: { enters: number; exits: number }[] }[] }>('/v1/segments?days=2');
    return ids.map((id) => {
      const s = body.segments.find((x) => x.id === id);
      const sum = (k: 'enters' | 'exits'): number => (s?.days ?? []).reduce((n, d) => n + d[k], 0);
      return { id, members: s?.members ?? 0, enters: sum('enters'), exits: sum('exits') };
    });
  }

  /** What the script tag's database `seglet` holds; `null` when the database does not exist (it is not created here). */
  function storedFacade(page: Page): Promise<StoredFacade | null> {
    return page.evaluate(async () => {
      if (!(await indexedDB.databases()).some((d) => d.name === 'seglet')) return null;
      return new Promise<StoredFacade>((done, fail) => {
        const open = indexedDB.open('seglet');
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const read = db.transaction('kv', 'readonly').objectStore('kv').openCursor();
          const out: StoredFacade = { anon: undefined, events: [], queue: [] };
          read.onerror = () => fail(read.error);
          read.onsuccess = () => {
            const cursor = read.result;
            if (!cursor) { db.close(); done(out); return; }
            const key = String(cursor.key);
            if (key === 'm/anonymousId') out.anon = cursor.value;
            else if (key === 'm/beacon') {
              const queue = (cursor.value as { queue?: { body: { anonymousId: string; forget?: true } }[] }).queue ?? [];
              out.queue = queue.map((q) => ({ anonymousId: q.body.anonymousId, forget: q.body.forget === true }));
            } else if (key.startsWith('e/')) out.events.push(...(cursor.value as { events: { id: string }[] }).events.map((e) => e.id));
            cursor.continue();
          };
        };
      });
    });
  }

  beforeAll(async () => {
    if (!existsSync(cli)) {
      const build = spawnSync('npx', ['-y', 'pnpm@10.34.8', 'run', 'build'], { cwd: root, env: { ...process.env, SEGLET_BUILD: 'core,collector' }, stdio: 'inherit' });
      if (build.status !== 0) throw new Error('seglet: building the collector failed');
    }
    h.tmp = mkdtempSync(join(tmpdir(), prefix));
    await Promise.all([
      buildBundle(join(here, '../fixtures/beaconEntry.ts'), join(h.tmp, 'beacon.js'), 'SegletBeacon'),
      buildScript(join(h.tmp, 'seglet.js')),
    ]);
    ({ url: h.origin, server } = await serveStatic({ '/': join(here, '../pages'), '/build/': h.tmp }));
    await Promise.all([startCollector(0), startRelay()]);
    h.browser = await launchChromium();
    h.context.on('request', (r) => {
      if (!r.url().startsWith(h.beaconUrl) || r.method() !== 'POST') return;
      const body = r.postData() ?? '';
      const entry: WireEntry = { id: (JSON.parse(body) as { id: string }).id, type: r.resourceType(), body };
      h.wire.push(entry);
      void r.response().then((res) => { entry.status = res?.status() ?? 0; }, () => { entry.status = 0; });
    });
  });

  afterAll(async () => {
    await h.browser?.close();
    await stopCollector();
    await Promise.all([new Promise((r) => server?.close(r)), new Promise((r) => relay?.close(r))]);
    if (h.tmp) rmSync(h.tmp, { recursive: true, force: true });
  });

  return h;
}

export const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** `window.segments` of the script tag, once ready. */
export const segmentsReady = (page: Page): Promise<void> => page.evaluate(() => (window.segments as Segments).ready);
/**
 * `beacon-forget.html`: the script tag beaconing to `beaconUrl`; its rules: `f-cart` from one
 * `add_to_cart`, `f-buyer` from two, `f-three` from three. `opts` become the tag's `data-consent`,
 * `data-cookie`, `data-rules` (a URL, for rules fetched late).
 */
export const forgetPageUrl = (origin: string, beaconUrl: string, opts: { consent?: string; cookie?: boolean; rules?: string } = {}): string => {
  const q = new URLSearchParams({ url: beaconUrl });
  if (opts.consent !== undefined) q.set('consent', opts.consent);
  if (opts.cookie) q.set('cookie', 'true');
  if (opts.rules !== undefined) q.set('rules', opts.rules);
  return `${origin}/beacon-forget.html?${q}`;
};
/** Takes the Web Lock `name` in `locker` (a tab of the origin), as a tab pruning or sending would, until `releaseLock`. */
export const holdLock = (locker: Page, name: string): Promise<void> => locker.evaluate((lock) => new Promise<void>((held) => {
  void navigator.locks.request(lock, () => new Promise<void>((release) => { (window.releaseLocks ??= {})[lock] = release; held(); }));
}), name);
export const releaseLock = (locker: Page, name: string): Promise<void> => locker.evaluate((lock) => window.releaseLocks?.[lock]?.(), name);
/** Holds `seglet:store`: the erase of a forget() or a denial waits for it. */
export const holdStoreLock = (locker: Page): Promise<void> => holdLock(locker, 'seglet:store');
export const releaseStoreLock = (locker: Page): Promise<void> => releaseLock(locker, 'seglet:store');
/** seglet's traces outside IndexedDB: localStorage and sessionStorage keys starting `seglet`, and `seglet_*` cookies. */
export const webTraces = (page: Page): Promise<{ local: Record<string, string>; session: Record<string, string>; cookies: string[] }> => page.evaluate(() => {
  const pick = (s: Storage): Record<string, string> => Object.fromEntries(Object.keys(s).filter((k) => k.startsWith('seglet')).map((k) => [k, s.getItem(k) ?? '']));
  return { local: pick(localStorage), session: pick(sessionStorage), cookies: document.cookie.split(';').map((c) => c.trim()).filter((c) => c.startsWith('seglet_')) };
});
