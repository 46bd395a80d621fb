import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RuleSet, SegletError } from '@seglet/core';
import { createSegments } from '../../src/index.js';
import type { Segments, SegmentsOptions } from '../../src/types.js';
import { rulesHash } from '../../src/dom/rulesHash.js';
import { SNAPSHOT_KEY } from '../../src/dom/snapshot.js';
import { resetPage } from './resetPage.js';

export const rules: RuleSet = {
  version: 1,
  segments: {
    browser: { when: { count: 'page_view', gte: 1 } },
    buyer: { when: { count: 'add_to_cart', gte: 2 } },
    big: { when: { sum: 'add_to_cart', of: 'value', gte: 100 } },
    pro: { when: { trait: 'plan', eq: 'pro' } },
    fr: { when: { context: 'country', eq: 'FR' } },
  },
};

let instance: Segments | null = null;
let errors: SegletError[] = [];

/** A fresh instance on a fresh database (fake-indexeddb is global and outlives the test). */
export function start(extra: Partial<SegmentsOptions> = {}): Segments {
  errors = [];
  instance = createSegments({
    rules, collect: false, onError: (e) => errors.push(e), ...extra,
  });
  return instance;
}
const codes = (): string[] => errors.map((e) => e.code);

beforeEach(resetPage);
afterEach(() => {
  instance?.destroy();
  instance = null;
  vi.useRealTimers();
});

describe('createSegments: calls before ready', () => {
  it('applies them in order with their call time, and ready never rejects', async () => {
    const s = start();
    expect(s.has('buyer')).toBe(false);
    expect(s.explain('buyer')).toBeNull();
    const entered: string[] = [];
    s.on('buyer', (c) => entered.push(`${c.segment}:${c.member}`));
    s.track('add_to_cart', { value: 60 }, { t: Date.now() - 1000 });
    s.track('add_to_cart', { value: 50 });
    s.identify('user-1', { plan: 'pro' });
    s.setContext({ country: 'FR' });
    expect(entered).toEqual([]);
    await s.ready;
    expect(entered).toEqual(['buyer:true']);
    expect(s.members()).toEqual(['buyer', 'big', 'pro', 'fr']);
    expect(s.explain('buyer')?.member).toBe(true);
    expect(codes()).toEqual([]);
    expect(s.storage).toBe('indexeddb');
  });

  it('rejects an invalid track whole and reports it, before and after ready', async () => {
    const s = start();
    s.track('Bad Type!', { value: 1 });
    s.track('add_to_cart', { nested: { no: 1 } } as never);
    await s.ready;
    s.track('add_to_cart', { value: Number.NaN });
    s.track('add_to_cart', { value: 1 });
    await s.flush();
    expect(codes()).toEqual(['invalid_event', 'invalid_event', 'invalid_event']);
    s.track('add_to_cart', { value: 1 });
    expect(s.has('buyer')).toBe(true);
  });
});

describe('createSegments: never throws', () => {
  it('survives hostile arguments and throwing callbacks', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const s = start();
    await s.ready;
    const calls: (() => unknown)[] = [
      () => s.track(undefined as never), () => s.track('x', 5 as never), () => s.page(42 as never),
      () => s.identify({} as never), () => s.setContext(null as never), () => s.setContext({ a: { b: 1 } } as never),
      () => s.on('buyer', null as never), () => s.on('nope', () => undefined), () => s.has(undefined as never),
      () => s.explain('nope'), () => s.consent('maybe' as never), () => s.apply(null as never),
    ];
    for (const call of calls) expect(call).not.toThrow();
    s.on('browser', () => { throw new Error('host bug'); });
    const later = vi.fn();
    s.on('browser', later);
    s.page('/x');
    expect(later).toHaveBeenCalledTimes(1);
    expect(codes()).toContain('callback_failed');
    expect(codes()).toContain('unknown_segment');
    expect(consoleError).toHaveBeenCalled();
    expect(s.explain('nope')).toBeNull();
  });

  it('a throwing onError is contained', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const s = createSegments({ rules, collect: false, onError: () => { throw new Error('boom'); } });
    instance = s;
    expect(() => s.track('BAD')).not.toThrow();
    await expect(s.ready).resolves.toBeUndefined();
  });

  it('invalid rules: reported, ready resolves, methods are safe', async () => {
    const s = start({ rules: { version: 1, segments: { x: { when: { count: 'a' } } } } as never });
    await s.ready;
    expect(codes()).toContain('invalid_rules');
    s.track('page_view');
    expect(s.members()).toEqual([]);
    expect(s.explain('x')).toBeNull();
  });

  it('after destroy every method is a no-op', async () => {
    const s = start();
    await s.ready;
    s.destroy();
    s.track('page_view');
    expect(s.has('browser')).toBe(false);
    expect(s.on('browser', () => undefined)).toBeTypeOf('function');
    await expect(s.flush()).resolves.toBeUndefined();
    await expect(s.forget()).resolves.toBeUndefined();
  });
});

describe('createSegments: one instance per page', () => {
  it('a second call reports duplicate_instance and returns the first; destroy frees the slot', async () => {
    const s = start();
    const second: string[] = [];
    const other = createSegments({ rules, collect: false, onError: (e) => second.push(e.code) });
    expect(other).toBe(s);
    expect(second).toEqual(['duplicate_instance']);
    s.destroy();
    const third = start();
    expect(third).not.toBe(s);
  });
});

describe('createSegments: rules sources', () => {
  it("reads '#id' JSON scripts and fetches URLs; a failing fetch is rules_fetch_failed", async () => {
    document.body.innerHTML = `<script type="application/json" id="seglet-rules">${JSON.stringify(rules)}</script>`;
    const s = start({ rules: '#seglet-rules' });
    s.page('/a');
    await s.ready;
    expect(s.has('browser')).toBe(true);
    s.destroy();

    const fetchMock = vi.spyOn(window, 'fetch').mockResolvedValue(new Response(JSON.stringify(rules), { status: 200 }));
    const fetched = start({ rules: '/rules.json' });
    fetched.page('/a');
    await fetched.ready;
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(fetched.has('browser')).toBe(true);
    fetched.destroy();

    fetchMock.mockResolvedValue(new Response('nope', { status: 500 }));
    const broken = start({ rules: '/rules.json' });
    await broken.ready;
    expect(codes()).toEqual(['rules_fetch_failed']);
    fetchMock.mockRestore();
  });
});

describe('createSegments: rules fetched later', () => {
  it("reports on('unknown') once the rules are known, and keeps the known handlers", async () => {
    vi.spyOn(window, 'fetch').mockResolvedValue(new Response(JSON.stringify(rules), { status: 200 }));
    const s = start({ rules: '/rules.json' });
    const unknown = vi.fn();
    const known = vi.fn();
    s.on('nope', unknown);
    s.on('browser', known);
    expect(codes()).toEqual([]);
    s.page('/a');
    await s.ready;
    expect(codes()).toEqual(['unknown_segment']);
    expect(known).toHaveBeenCalledTimes(1);
    expect(unknown).not.toHaveBeenCalled();
    vi.restoreAllMocks();
  });
});

describe('createSegments: destroyed while the rules are fetched', () => {
  it.each(['granted', 'pending'] as const)('with consent %s, ready calls no handler and builds nothing', async (consent) => {
    let answer: (r: Response) => void = () => undefined;
    vi.spyOn(window, 'fetch').mockReturnValue(new Promise<Response>((resolve) => { answer = resolve; }));
    const s = start({ rules: '/rules.json', consent, cookie: true });
    const entered = vi.fn();
    s.on('browser', entered);
    s.page('/a');
    s.destroy();
    answer(new Response(JSON.stringify(rules), { status: 200 }));
    await s.ready;
    expect(entered).not.toHaveBeenCalled();
    expect(s.has('browser')).toBe(false);
    expect(s.members()).toEqual([]);
    expect(codes()).toEqual([]);
    // Nothing written for a page that is gone.
    expect(localStorage.getItem(SNAPSHOT_KEY)).toBeNull();
    expect(document.cookie).toBe('');
    vi.restoreAllMocks();
  });
});

describe('createSegments: persistence and snapshot', () => {
  it('copies props as called: a Proxy is stored like an object, and a change to the object after track() changes nothing', async () => {
    const s = start();
    await s.ready;
    // A framework's reactive object: IndexedDB cannot clone a Proxy, and its batch failed every
    // retry, taking each later write with it.
    s.track('add_to_cart', new Proxy({ value: 60 }, {}));
    const reused = { value: 60 };
    s.track('add_to_cart', reused);
    reused.value = 1;
    await s.flush();
    s.track('page_view');
    await s.flush();
    expect(s.members()).toEqual(['browser', 'buyer', 'big']);
    s.destroy();
    const next = start();
    await next.ready;
    expect(next.members()).toEqual(['browser', 'buyer', 'big']);
    expect(codes()).toEqual([]);
  });

  it('applies the values a call before ready was given, whatever the page changes before ready', async () => {
    const s = start();
    const props = { value: 150 };
    const ctx = { country: 'FR' };
    const traits = { plan: 'pro' };
    s.track('add_to_cart', props);
    s.setContext(ctx);
    s.identify('u1', traits);
    props.value = 1;
    ctx.country = 'DE';
    traits.plan = 'free';
    await s.ready;
    expect(s.members()).toEqual(['big', 'pro', 'fr']);
    await s.flush();
    s.destroy();
    const next = start();
    await next.ready;
    expect(next.has('big')).toBe(true);
  });

  it('restores history on the next load and answers from the snapshot before ready', async () => {
    const s = start();
    s.track('add_to_cart', { value: 10 });
    s.track('add_to_cart', { value: 10 });
    await s.ready;
    expect(s.has('buyer')).toBe(true);
    await s.flush();
    const snap = JSON.parse(localStorage.getItem(SNAPSHOT_KEY)!) as { rules: string; members: string[] };
    expect(snap.rules).toBe(rulesHash(rules));
    expect(snap.members).toEqual(['buyer']);
    s.destroy();

    const next = start();
    expect(next.has('buyer')).toBe(true);
    expect(next.members()).toEqual(['buyer']);
    const seen: string[] = [];
    next.on('buyer', (c) => seen.push(`enter@${c.member}`), () => seen.push('exit'));
    expect(seen).toEqual(['enter@true']);
    await next.ready;
    expect(seen).toEqual(['enter@true']);
    expect(next.has('buyer')).toBe(true);
  });

  it('events of a page that leaves before its database opens are stored by the next page of the tab', async () => {
    // This page's database never opens (a page leaving within its first moments): its writes wait.
    const open = vi.spyOn(indexedDB, 'open').mockImplementation(() => ({}) as IDBOpenDBRequest);
    try {
      const s = start();
      s.track('add_to_cart', { value: 60 });
      s.track('add_to_cart', { value: 60 });
      window.dispatchEvent(new Event('pagehide'));
      // The stash time first, then the events.
      const [at, ...stashed] = JSON.parse(sessionStorage.getItem('seglet:unwritten') ?? '[]') as [number, ...{ id: string }[]];
      expect(at).toBeGreaterThan(Date.now() - 5000);
      expect(stashed.map((e) => e.id)).toHaveLength(2);
      s.destroy();
    } finally {
      open.mockRestore();
    }

    const next = start();
    await next.ready;
    expect(next.members()).toEqual(['buyer', 'big']);
    expect(sessionStorage.getItem('seglet:unwritten')).toBeNull();
    // Stored, not only applied: a third page reads them back from IndexedDB, once each.
    await next.flush();
    next.destroy();
    const third = start();
    await third.ready;
    expect([third.members(), third.explain('buyer')?.condition.value]).toEqual([['buyer', 'big'], 2]);
  });

  /** A page whose database never opens tracks `n` add_to_cart and leaves: the raw stash it left. */
  function leaveUnwritten(n: number): string {
    const open = vi.spyOn(indexedDB, 'open').mockImplementation(() => ({}) as IDBOpenDBRequest);
    try {
      const s = start();
      for (let i = 0; i < n; i++) s.track('add_to_cart', { value: 60 });
      window.dispatchEvent(new Event('pagehide'));
      s.destroy();
      return sessionStorage.getItem('seglet:unwritten') as string;
    } finally {
      open.mockRestore();
    }
  }
  /**
   * forget() in another tab (`beforeReady`: called before its ready, then that page left): it deletes
   * the store; this tab's sessionStorage is beyond its reach. A few ms first, so the two times differ.
   */
  async function forgetInAnotherTab(beforeReady = false): Promise<void> {
    await new Promise((r) => setTimeout(r, 2));
    const mine = sessionStorage.getItem('seglet:unwritten');
    const other = start();
    if (!beforeReady) await other.ready;
    const forgot = other.forget();
    other.destroy();
    await forgot;
    if (mine !== null) sessionStorage.setItem('seglet:unwritten', mine);
    await new Promise((r) => setTimeout(r, 2));
  }

  it('a stash left just before a forget() in another tab is not stored by the next page: the forgotten events stay forgotten', async () => {
    const stash = leaveUnwritten(2);
    await forgetInAnotherTab();
    expect(sessionStorage.getItem('seglet:unwritten')).toBe(stash);
    const next = start();
    await next.ready;
    await next.flush();
    expect(next.members()).toEqual([]);
    expect(sessionStorage.getItem('seglet:unwritten')).toBeNull();
    next.destroy();
    const third = start();
    await third.ready;
    expect(third.explain('buyer')?.condition.value).toBe(0);
  });

  it('so is one left just before a forget() that another tab called before its ready and then left (destroy)', async () => {
    const stash = leaveUnwritten(2);
    await forgetInAnotherTab(true);
    expect(sessionStorage.getItem('seglet:unwritten')).toBe(stash);
    const next = start();
    await next.ready;
    expect(next.members()).toEqual([]);
  });

  it('a stash left after a forget() in another tab is stored by the next page', async () => {
    await forgetInAnotherTab();
    leaveUnwritten(2);
    const next = start();
    await next.ready;
    expect(next.members()).toEqual(['buyer', 'big']);
  });

  it('events tracked right after forget(), while its deletion waits, are stashed when the page leaves, and stored under the new profile by the next page', async () => {
    const s = start();
    s.track('add_to_cart', { value: 60 });
    s.track('add_to_cart', { value: 60 });
    await s.ready;
    await s.flush();
    const forgot = s.forget();
    s.track('add_to_cart', { value: 5 });
    window.dispatchEvent(new Event('pagehide'));
    const [, ...stashed] = JSON.parse(sessionStorage.getItem('seglet:unwritten') ?? '[0]') as [number, ...{ props?: { value?: number } }[]];
    expect(stashed.map((e) => e.props?.value)).toEqual([5]);
    await forgot;
    s.destroy();
    const next = start();
    await next.ready;
    expect([next.members(), next.explain('buyer')?.condition.value, next.explain('big')?.condition.value]).toEqual([[], 1, 5]);
  });

  it('a stash without a time (another version) or not a list is dropped, and start-up goes on', async () => {
    for (const raw of [JSON.stringify([{ id: 'old:0', type: 'add_to_cart', t: Date.now() }]), '{"a":1}', '"text"', 'not json']) {
      sessionStorage.setItem('seglet:unwritten', raw);
      const s = start();
      await s.ready;
      expect([raw, s.members(), codes()]).toEqual([raw, [], []]);
      s.destroy();
    }
  });

  it('a snapshot is not used with invalid rules, and what it showed is taken back at ready when the rules URL fails', async () => {
    localStorage.setItem(SNAPSHOT_KEY, JSON.stringify({ v: 1, rules: rulesHash(rules), members: ['buyer'], until: null, t: Date.now() }));
    const invalid = start({ rules: { version: 1, segments: { buyer: { when: { count: 'add_to_cart', gte: 'two' } } } } as never });
    expect(invalid.has('buyer')).toBe(false);
    await invalid.ready;
    expect([invalid.has('buyer'), invalid.members()]).toEqual([false, []]);
    invalid.destroy();

    vi.spyOn(window, 'fetch').mockResolvedValue(new Response('not found', { status: 404 }));
    const s = start({ rules: '/rules.json' });
    // Before the rules arrive, the snapshot cannot be checked: it is used, as for any rules URL.
    expect(s.has('buyer')).toBe(true);
    const seen: string[] = [];
    s.on('buyer', () => seen.push('enter'), () => seen.push('exit'));
    await s.ready;
    expect(codes()).toContain('rules_fetch_failed');
    expect([s.has('buyer'), s.members(), seen]).toEqual([false, [], ['enter', 'exit']]);
    vi.restoreAllMocks();
  });

  it('on() before ready: enter from the snapshot, exit when ready disagrees, never a second enter', async () => {
    localStorage.setItem(SNAPSHOT_KEY, JSON.stringify({ v: 1, rules: rulesHash(rules), members: ['buyer', 'pro'], until: null, t: Date.now() }));
    const s = start();
    const log: string[] = [];
    s.on('buyer', () => log.push('buyer+'), () => log.push('buyer-'));
    s.on('pro', () => log.push('pro+'), () => log.push('pro-'));
    expect(log).toEqual(['buyer+', 'pro+']);
    s.identify('u', { plan: 'pro' });
    await s.ready;
    expect(log).toEqual(['buyer+', 'pro+', 'buyer-']);
    s.identify('u', { plan: 'free' });
    s.identify('u', { plan: 'pro' });
    expect(log).toEqual(['buyer+', 'pro+', 'buyer-', 'pro-', 'pro+']);
  });

  it('applies swaps from the snapshot synchronously at start-up, then corrects them at ready', async () => {
    localStorage.setItem(SNAPSHOT_KEY, JSON.stringify({ v: 1, rules: rulesHash(rules), members: ['buyer'], until: null, t: Date.now() }));
    document.body.innerHTML = '<p id="a" data-seglet-show="buyer">for buyers</p><p id="b" data-seglet-hide="buyer">others</p><p id="c" data-seglet-show="pro">pro</p>';
    const s = start();
    const a = document.getElementById('a')!;
    const b = document.getElementById('b')!;
    const c = document.getElementById('c')!;
    expect([a.hidden, b.hidden, c.hidden]).toEqual([false, true, true]);
    s.identify('u', { plan: 'pro' });
    await s.ready;
    expect([a.hidden, b.hidden, c.hidden]).toEqual([true, false, false]);
  });

  it('writes no snapshot while the log lives in memory, and drops an earlier one (the next load starts empty: a snapshot would flicker)', async () => {
    localStorage.setItem(SNAPSHOT_KEY, JSON.stringify({ v: 1, rules: rulesHash(rules), members: ['buyer'], until: null, t: Date.now() }));
    const s = start({ storage: 'memory' });
    expect(s.has('buyer')).toBe(true);
    s.track('add_to_cart', { value: 10 });
    s.track('add_to_cart', { value: 10 });
    await s.ready;
    expect([s.storage, s.has('buyer')]).toEqual(['memory', true]);
    await s.flush();
    s.track('add_to_cart', { value: 100 });
    expect(s.has('big')).toBe(true);
    s.destroy();
    expect(localStorage.getItem(SNAPSHOT_KEY)).toBeNull();
    const next = start({ storage: 'memory' });
    expect(next.has('buyer')).toBe(false);
    await next.ready;
    expect(next.members()).toEqual([]);
  });

  it('writes the cookie only with cookie:true and consent granted', async () => {
    const s = start({ cookie: true });
    s.identify('u', { plan: 'pro' });
    await s.ready;
    expect(document.cookie).toContain('seglet_m=pro');
    s.consent('denied');
    expect(document.cookie).not.toContain('seglet_m=pro');
    s.identify('u', { plan: 'free' });
    s.identify('u', { plan: 'pro' });
    expect(document.cookie).not.toContain('seglet_m=pro');
  });
});
