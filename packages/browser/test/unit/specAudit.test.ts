// Statements of runtime.md (sections 2, 4 and 7) checked one by one against the facade, where the
// other suites do not already pin them down.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RuleSet, SegletError } from '@seglet/core';
import { createSegments } from '../../src/index.js';
import type { Segments, SegmentsOptions } from '../../src/types.js';
import { rulesHash } from '../../src/dom/rulesHash.js';
import { SNAPSHOT_KEY } from '../../src/dom/snapshot.js';
import { openEventStore } from '../../src/storage/index.js';
import { startFacade } from './facadeProbes.js';
import { resetPage } from './resetPage.js';

const rules: RuleSet = {
  version: 1,
  segments: {
    buyer: { when: { count: 'add_to_cart', gte: 2 } },
    abandoner: { when: { abandoned: 'add_to_cart', unless: 'purchase', after: '30m' } },
    'from-news': { when: { count: 'page_view', where: { referrer: { eq: 'news.example.org' } }, gte: 1 } },
  },
};

let instance: Segments | null = null;
const errors: SegletError[] = [];
const start = (extra: Partial<SegmentsOptions> = {}): Segments => (instance = startFacade(rules, errors, extra));
const codes = (): string[] => errors.map((e) => e.code);
const tick = (ms = 30): Promise<void> => new Promise((r) => setTimeout(r, ms));

beforeEach(resetPage);
afterEach(() => {
  instance?.destroy();
  instance = null;
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('spec audit: API before and after ready', () => {
  it('explain() is null before ready; on() on an id the fetched rules lack reports unknown_segment once they are known', async () => {
    vi.spyOn(window, 'fetch').mockResolvedValue(new Response(JSON.stringify(rules), { status: 200 }));
    const s = start({ rules: '/rules.json' });
    expect(s.explain('buyer')).toBeNull();
    const off = s.on('nope', () => undefined);
    expect(typeof off).toBe('function');
    expect(codes()).not.toContain('unknown_segment');
    await s.ready;
    expect(codes().filter((c) => c === 'unknown_segment')).toHaveLength(1);
    expect(s.explain('buyer')).not.toBeNull();
  });

  it('an off() called before ready keeps that handler from firing at ready', async () => {
    const s = start();
    const seen: string[] = [];
    const off = s.on('buyer', () => seen.push('enter'));
    s.track('add_to_cart');
    s.track('add_to_cart');
    off();
    await s.ready;
    expect(s.has('buyer')).toBe(true);
    expect(seen).toEqual([]);
  });

  it('methods taken off the object still work and return what the contract says', async () => {
    const s = start();
    const { track, page, has, members, explain } = s;
    expect(track('add_to_cart')).toBeUndefined();
    expect(track('add_to_cart')).toBeUndefined();
    expect(page()).toBeUndefined();
    await s.ready;
    expect(has('buyer')).toBe(true);
    expect(members()).toContain('buyer');
    expect(explain('buyer')).not.toBeNull();
    expect(has('unknown')).toBe(false);
  });
});

describe('spec audit: page()', () => {
  it('records the referrer host on the landing page view, never the title unless passed', async () => {
    vi.spyOn(document, 'referrer', 'get').mockReturnValue('https://news.example.org/a?b=1');
    const s = start();
    s.page();
    await s.ready;
    expect(s.has('from-news')).toBe(true);
    expect(JSON.stringify(s.explain('from-news'))).not.toContain('title');
  });

  it('records the referrer host only once per document (later SPA views did not come from it)', async () => {
    vi.spyOn(document, 'referrer', 'get').mockReturnValue('https://news.example.org/');
    const withCollector = createSegments({
      rules: { version: 1, segments: { twice: { when: { count: 'page_view', where: { referrer: { eq: 'news.example.org' } }, gte: 2 } } } },
      collect: { pageViews: true, clicks: false, scroll: false, dataLayer: false },
    });
    instance = withCollector;
    withCollector.page('/next');
    await withCollector.ready;
    expect(withCollector.has('twice')).toBe(false);
  });
});

describe('spec audit: storage', () => {
  it('storage_unavailable is reported once per page, across consent changes', async () => {
    vi.stubGlobal('indexedDB', undefined);
    const s = start({ consent: 'pending' });
    await s.ready;
    s.consent('granted');
    await tick();
    s.consent('pending');
    s.consent('granted');
    await tick();
    s.consent('denied');
    s.consent('granted');
    await tick();
    expect(s.storage).toBe('memory');
    expect(codes().filter((c) => c === 'storage_unavailable')).toHaveLength(1);
  });

  it("consent pending and storage: 'memory' never open IndexedDB", async () => {
    const open = vi.spyOn(indexedDB, 'open');
    const s = start({ consent: 'pending' });
    s.track('add_to_cart');
    await s.ready;
    await s.flush();
    s.destroy();
    const m = start({ storage: 'memory' });
    m.track('add_to_cart');
    await m.ready;
    await m.flush();
    expect(m.storage).toBe('memory');
    expect(open).not.toHaveBeenCalled();
  });

  it('indexedDB.open unsettled for 3 s: ready resolves in memory, storage_timeout reported, late connection closed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const request: { result?: unknown; onsuccess?: unknown } = {};
    vi.stubGlobal('indexedDB', { open: () => request });
    const s = start();
    s.track('add_to_cart');
    let resolved = false;
    void s.ready.then(() => { resolved = true; });
    await vi.advanceTimersByTimeAsync(2_900);
    expect(resolved).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect(resolved).toBe(true);
    expect(s.storage).toBe('memory');
    expect(codes()).toContain('storage_timeout');
    const close = vi.fn();
    request.result = { close, objectStoreNames: { contains: () => true } };
    (request.onsuccess as () => void)();
    expect(close).toHaveBeenCalledTimes(1);
    expect(s.storage).toBe('memory');
    s.track('add_to_cart');
    expect(s.has('buyer')).toBe(true);
  });
});

describe('spec audit: snapshot', () => {
  it('is { v: 1, rules: hash, members, until: nextChange(), t } once ready', async () => {
    const before = Date.now();
    const s = start();
    s.track('add_to_cart');
    await s.ready;
    await tick();
    const snap = JSON.parse(localStorage.getItem(SNAPSHOT_KEY)!) as Record<string, unknown>;
    expect(Object.keys(snap).sort()).toEqual(['members', 'rules', 't', 'until', 'v']);
    expect(snap['v']).toBe(1);
    expect(snap['rules']).toBe(rulesHash(rules));
    expect(snap['members']).toEqual([]);
    const until = snap['until'] as number;
    expect(until).toBeGreaterThanOrEqual(before + 30 * 60_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 30 * 60_000 + 1);
    expect(snap['t']).toBeGreaterThanOrEqual(before);
  });

  it('a snapshot of other rules is ignored before ready', () => {
    localStorage.setItem(SNAPSHOT_KEY, JSON.stringify({ v: 1, rules: 'other', members: ['buyer'], until: null, t: Date.now() }));
    const s = start();
    expect(s.has('buyer')).toBe(false);
    expect(s.members()).toEqual([]);
  });

  it('consent pending: the snapshot is neither read nor written', async () => {
    localStorage.setItem(SNAPSHOT_KEY, JSON.stringify({ v: 1, rules: rulesHash(rules), members: ['buyer'], until: null, t: Date.now() }));
    const s = start({ consent: 'pending' });
    expect(s.has('buyer')).toBe(false);
    s.track('add_to_cart');
    await s.ready;
    await tick();
    expect(JSON.parse(localStorage.getItem(SNAPSHOT_KEY)!).members).toEqual(['buyer']);
  });
});

describe('spec audit: beacons from the facade', () => {
  const capture = (): { bodies: Record<string, unknown>[]; inits: RequestInit[] } => {
    const bodies: Record<string, unknown>[] = [];
    const inits: RequestInit[] = [];
    vi.spyOn(window, 'fetch').mockImplementation(async (_url, init) => {
      inits.push(init ?? {});
      bodies.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
      return new Response(null, { status: 204 });
    });
    return { bodies, inits };
  };

  it('flush() hands a change to fetch without waiting for the coalescing second (credentials omitted)', async () => {
    const { bodies, inits } = capture();
    const s = start({ beacon: { url: '/b' } });
    await s.ready;
    await s.flush();
    const first = bodies.length;
    s.track('add_to_cart');
    s.track('add_to_cart');
    await s.flush();
    expect(bodies.length).toBe(first + 1);
    expect(bodies.at(-1)?.['changes']).toEqual([expect.objectContaining({ segment: 'buyer', member: true })]);
    expect(inits.at(-1)?.credentials).toBe('omit');
    expect(inits.at(-1)?.keepalive).toBe(true);
  });

  it('identify() refuses a userId the collector would refuse (over 256 characters, a lone surrogate), so batches still go', async () => {
    const { bodies } = capture();
    const s = start({ beacon: { url: '/b' } });
    await s.ready;
    s.identify('u'.repeat(257));
    s.identify('a\ud800b');
    expect(codes()).toEqual(['invalid_value', 'invalid_value']);
    expect(errors[0]?.message).toContain('/userId');
    s.identify('u'.repeat(256));
    s.identify('\ud83d\ude00 ok');
    s.track('add_to_cart');
    s.track('add_to_cart');
    await s.flush();
    expect(codes()).toHaveLength(2);
    expect(bodies.at(-1)?.['userId']).toBe('\ud83d\ude00 ok');
  });

  it('flush() with consent pending resolves at once and sends nothing', async () => {
    const { bodies } = capture();
    const s = start({ consent: 'pending', beacon: { url: '/b' } });
    s.track('add_to_cart');
    s.track('add_to_cart');
    await s.ready;
    await s.flush();
    await tick(1_100);
    expect(bodies).toEqual([]);
  });

  it('with globalPrivacyControl, nothing is sent: no batch, and no forget request for a profile no batch carried', async () => {
    Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true });
    try {
      const send = vi.fn(() => true);
      Object.defineProperty(navigator, 'sendBeacon', { value: send, configurable: true });
      const { bodies } = capture();
      const s = start({ beacon: { url: '/b' } });
      s.track('add_to_cart');
      s.track('add_to_cart');
      await s.ready;
      await s.flush();
      window.dispatchEvent(new Event('pagehide'));
      await s.forget();
      await tick(1_100);
      expect(bodies).toEqual([]);
      expect(send).not.toHaveBeenCalled();
    } finally {
      delete (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl;
      delete (navigator as { sendBeacon?: unknown }).sendBeacon;
    }
  });

  it('visibilitychange to hidden hands pending changes to sendBeacon', async () => {
    capture();
    const send = vi.fn((_url: string, _body: string) => true);
    Object.defineProperty(navigator, 'sendBeacon', { value: send, configurable: true });
    try {
      const s = start({ beacon: { url: '/b' } });
      await s.ready;
      await s.flush();
      s.track('add_to_cart');
      s.track('add_to_cart');
      vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
      document.dispatchEvent(new Event('visibilitychange'));
      expect(send).toHaveBeenCalledTimes(1);
      const [url, body] = send.mock.calls[0]!;
      expect(url).toBe(new URL('/b', location.href).href);
      expect(typeof body).toBe('string');
      expect(JSON.parse(body).changes).toEqual([expect.objectContaining({ segment: 'buyer', member: true })]);
    } finally {
      delete (navigator as { sendBeacon?: unknown }).sendBeacon;
    }
  });
});

describe('spec audit: cookie and stored data', () => {
  it('seglet_m carries Path=/, SameSite=Lax and Max-Age=retain.for in seconds', async () => {
    const written: string[] = [];
    const proto = Object.getPrototypeOf(document) as object;
    const desc = Object.getOwnPropertyDescriptor(proto, 'cookie') ?? Object.getOwnPropertyDescriptor(Object.getPrototypeOf(proto) as object, 'cookie')!;
    Object.defineProperty(document, 'cookie', {
      configurable: true,
      get: () => desc.get!.call(document) as string,
      set: (v: string) => { written.push(v); desc.set!.call(document, v); },
    });
    try {
      const s = start({ cookie: true, rules: { ...rules, retain: { for: '7d' } } });
      s.track('add_to_cart');
      s.track('add_to_cart');
      await s.ready;
      const members = written.filter((c) => c.startsWith('seglet_m=buyer'));
      expect(members.length).toBeGreaterThan(0);
      expect(members.at(-1)).toMatch(/^seglet_m=buyer; Path=\/; SameSite=Lax; Max-Age=604800(; Secure)?$/);
    } finally {
      delete (document as { cookie?: string }).cookie;
    }
  });

  it('a stored anonymous id that fails to parse is discarded and reported as corrupt_data', async () => {
    const store = openEventStore({ tabId: 'writer' });
    await store.setMeta('anonymousId', { not: 'an id' });
    await store.flush();
    store.close();
    const s = start();
    await s.ready;
    expect(codes()).toContain('corrupt_data');
  });

  it('a forget() from the host\'s onError for that corrupt_data, on a grant after ready, keeps the forgotten history out of the engine', async () => {
    const store = openEventStore({ tabId: 'writer' });
    await store.setMeta('anonymousId', { not: 'an id' });
    store.append([{ type: 'add_to_cart' }, { type: 'add_to_cart' }]);
    await store.flush();
    store.close();
    const s = start({ consent: 'pending', onError: (e) => { errors.push(e); if (e.code === 'corrupt_data') s.forget(); } });
    await s.ready;
    s.consent('granted');
    await vi.waitFor(() => expect(codes()).toContain('corrupt_data'));
    await tick();
    expect(s.has('buyer')).toBe(false);
  });

  it('stored events the engine rejects are reported once and deleted; the valid ones stay', async () => {
    const writer = openEventStore({ tabId: 'writer' });
    // A nested object: another version, or something else, wrote it; this SDK never stores one.
    writer.append([{ type: 'add_to_cart', props: { item: { id: 'a' } } as never }, { type: 'add_to_cart' }, { type: 'add_to_cart' }]);
    await writer.flush();
    writer.close();
    const first = start();
    await first.ready;
    expect(codes()).toEqual(['invalid_event']);
    expect(errors[0]?.issues?.[0]?.path).toBe('/events/0/props/item');
    expect(first.has('buyer')).toBe(true);
    await vi.waitFor(async () => {
      const reader = openEventStore({ tabId: 'reader' });
      const left = await reader.load();
      reader.close();
      expect(left.map((e) => e.props ?? {})).toEqual([{}, {}]);
    });
    first.destroy();
    errors.length = 0;
    const again = start();
    await again.ready;
    expect(codes()).toEqual([]);
    expect(again.has('buyer')).toBe(true);
  });

  it('options it would pass over are reported in one invalid_option, and their defaults apply', async () => {
    const s = start({ storage: 'bogus', beacn: '/b', collect: { scrol: true, clicks: true } } as unknown as Partial<SegmentsOptions>);
    await s.ready;
    expect(codes()).toEqual(['invalid_option']);
    expect(errors[0]?.issues?.map((i) => i.path)).toEqual(['/beacn', '/storage', '/collect/scrol']);
    expect(errors[0]?.message).toBe("seglet: /beacn: unknown option; /storage: must be 'indexeddb' or 'memory'; /collect/scrol: unknown option");
    s.track('add_to_cart');
    s.track('add_to_cart');
    expect(s.has('buyer')).toBe(true);
    expect(s.storage).toBe('indexeddb');
    s.destroy();
    errors.length = 0;
    await start({ collect: 'yes' } as unknown as Partial<SegmentsOptions>).ready;
    expect(errors.map((e) => e.issues)).toEqual([[{ path: '/collect', message: 'must be an object or false' }]]);
  });

  it('destroy() before ready: ready still resolves', async () => {
    const s = start();
    s.track('add_to_cart');
    s.destroy();
    await expect(s.ready).resolves.toBeUndefined();
    expect(s.has('buyer')).toBe(false);
  });
});

/** Web Locks granted a task later, as browsers do (the grant goes through another process). */
function slowLocks(): LockManager {
  const chains = new Map<string, Promise<unknown>>();
  const request = (name: string, opts: LockOptions | ((l: Lock | null) => Promise<unknown>), cb?: (lock: Lock | null) => Promise<unknown>): Promise<unknown> => {
    const task = typeof opts === 'function' ? opts : cb!;
    const previous = chains.get(name) ?? Promise.resolve();
    const run = previous.then(() => new Promise((r) => setTimeout(r, 5))).then(() => task({ name, mode: 'exclusive' } as Lock));
    chains.set(name, run.catch(() => undefined));
    return run;
  };
  return { request, query: async () => ({}) } as unknown as LockManager;
}

describe('spec audit: consent transitions', () => {
  beforeEach(() => {
    Object.defineProperty(navigator, 'locks', { value: slowLocks(), configurable: true });
  });
  afterEach(() => {
    delete (navigator as { locks?: unknown }).locks;
  });
  const storedTypes = async (): Promise<string[]> => {
    const store = openEventStore({ tabId: 'reader' });
    const events = await store.load();
    store.close();
    return events.map((e) => e.type);
  };

  it('denied then granted in one task: the events tracked meanwhile join the stored log', async () => {
    const s = start({ consent: 'denied' });
    s.track('add_to_cart');
    s.track('add_to_cart');
    s.consent('granted');
    await s.ready;
    await s.flush();
    await tick(50);
    expect(s.has('buyer')).toBe(true);
    expect(await storedTypes()).toEqual(['add_to_cart', 'add_to_cart']);
  });

  it('forget() while pending, then granted: the earlier visit is gone and the events tracked since are stored', async () => {
    const earlier = start();
    earlier.track('purchase');
    await earlier.ready;
    await earlier.flush();
    earlier.destroy();
    const s = start({ consent: 'pending' });
    await s.ready;
    void s.forget();
    s.track('add_to_cart');
    s.track('add_to_cart');
    s.consent('granted');
    await tick(50);
    await s.flush();
    await tick(50);
    expect(await storedTypes()).toEqual(['add_to_cart', 'add_to_cart']);
    expect(s.has('buyer')).toBe(true);
  });

  it('pending with cookie: true writes no cookie; the grant writes it', async () => {
    const s = start({ consent: 'pending', cookie: true });
    s.track('add_to_cart');
    s.track('add_to_cart');
    await s.ready;
    expect(document.cookie).not.toContain('seglet_m');
    s.consent('granted');
    await tick(50);
    expect(document.cookie).toContain('seglet_m=buyer');
  });

  it('denied then granted after ready: the events tracked meanwhile join the stored log', async () => {
    const s = start();
    await s.ready;
    s.consent('denied');
    s.track('add_to_cart');
    s.track('add_to_cart');
    s.consent('granted');
    await tick(50);
    await s.flush();
    await tick(50);
    expect(await storedTypes()).toEqual(['add_to_cart', 'add_to_cart']);
  });
});

describe('spec audit: lifecycle listeners and options', () => {
  it('never adds an unload or beforeunload listener', async () => {
    const added: string[] = [];
    const orig = window.addEventListener.bind(window);
    vi.spyOn(window, 'addEventListener').mockImplementation((type: string, ...rest: unknown[]) => {
      added.push(type);
      (orig as (...a: unknown[]) => void)(type, ...rest);
    });
    const s = start({ beacon: { url: '/b' }, collect: { pageViews: true, clicks: true, scroll: true, dataLayer: true } });
    await s.ready;
    expect(added).toContain('pagehide');
    expect(added).not.toContain('unload');
    expect(added).not.toContain('beforeunload');
  });

  it('an unknown consent state is reported and changes nothing', async () => {
    const s = start();
    await s.ready;
    s.consent('maybe' as 'granted');
    expect(codes()).toContain('invalid_option');
    expect(s.storage).toBe('indexeddb');
  });
});
