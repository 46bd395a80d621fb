import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RuleSet, SegletError } from '@seglet/core';
import type { Segments, SegmentsOptions } from '../../src/types.js';
import { ERASE_KEY, notedErase, noteErase } from '../../src/storage/eraseJournal.js';
import { openEventStore } from '../../src/storage/index.js';
import { captureBeacons, startFacade, storedTypes, tick } from './facadeProbes.js';
import { resetPage } from './resetPage.js';

// An erase (consent denied, forget) waits for the database and the Web Lock; a page that goes
// away first took it along. The note in localStorage lets the next page finish it before reading.

const rules: RuleSet = { version: 1, segments: { buyer: { when: { count: 'add_to_cart', gte: 2 } } } };
const BEACON = { url: '/seglet/beacon' };

let instance: Segments | null = null;
const errors: SegletError[] = [];
const start = (extra: Partial<SegmentsOptions> = {}): Segments => (instance = startFacade(rules, errors, extra));
/** An earlier visit: two add_to_cart committed (and sent, with a beacon); the anonymous id it used. */
async function visit(extra: Partial<SegmentsOptions> = {}): Promise<string> {
  const bodies = extra.beacon ? captureBeacons() : [];
  const first = start(extra);
  first.track('add_to_cart');
  first.track('add_to_cart');
  await first.ready;
  await first.flush();
  first.destroy();
  instance = null;
  return String(bodies[0]?.['anonymousId'] ?? '');
}
const note = (): unknown => JSON.parse(localStorage.getItem(ERASE_KEY) ?? 'null');
/** A stored meta value, read as another tab would. */
async function storedMeta<T>(key: string): Promise<T | undefined> {
  const reader = openEventStore({ tabId: 'reader' });
  const value = await reader.getMeta<T>(key);
  reader.close();
  return value;
}
/** A page with a beacon that tracked one add_to_cart, committed; and the anonymous id it stored. */
async function trackedWithBeacon(): Promise<{ s: Segments; id: string | undefined }> {
  captureBeacons();
  const s = start({ beacon: BEACON });
  s.track('add_to_cart');
  await s.ready;
  await s.flush();
  return { s, id: await storedMeta<string>('anonymousId') };
}

beforeEach(resetPage);
afterEach(() => {
  instance?.destroy();
  instance = null;
  vi.restoreAllMocks();
});

/** Storage blocked as browsers block it (a sandboxed frame, cookies off): reading `localStorage` throws. */
const blockStorage = (): void => {
  vi.spyOn(window, 'localStorage', 'get').mockImplementation(() => { throw new DOMException('blocked', 'SecurityError'); });
};
/** A note another page left when it went (its erase unfinished). */
const leaveNote = (forget: string | null = null): void => localStorage.setItem(ERASE_KEY, JSON.stringify({ token: 'another-page', forget }));

describe('noteErase / notedErase', () => {
  it('a note lasts until its erase ends, and an earlier erase never removes a later one', () => {
    expect(notedErase(window)).toBeNull();
    const first = noteErase(window);
    expect(note()).toMatchObject({ forget: null });
    const second = noteErase(window, 'anon-1');
    expect(note()).toMatchObject({ forget: 'anon-1' });
    first.end();
    expect(note()).toMatchObject({ forget: 'anon-1' });
    second.end();
    expect(note()).toBeNull();
  });

  it('names the forgotten id once it is known', () => {
    noteErase(window).forget('anon-2');
    expect(note()).toMatchObject({ forget: 'anon-2' });
  });

  it("this page's own running erase is not an unfinished one; another page's is", () => {
    const own = noteErase(window, 'anon-5');
    expect(notedErase(window)).toBeNull();
    own.end();
    leaveNote('anon-6');
    expect(notedErase(window)).toEqual({ forget: 'anon-6', token: 'another-page' });
  });

  it('a damaged note still asks for an erase, without a forget request', () => {
    localStorage.setItem(ERASE_KEY, '{not json');
    expect(notedErase(window)).toEqual({ forget: null });
    localStorage.setItem(ERASE_KEY, JSON.stringify({ token: 'x', forget: '<script>' }));
    expect(notedErase(window)).toEqual({ forget: null, token: 'x' });
  });

  it('never throws when storage is blocked', () => {
    blockStorage();
    const n = noteErase(window, 'anon-3');
    n.forget('anon-4');
    n.end();
    expect(notedErase(window)).toBeNull();
  });
});

describe('createSegments: an erase a page took along is finished by the next', () => {
  it('a denial left unfinished: the next granted page erases the stored log before it reads it', async () => {
    await visit();
    expect(await storedTypes()).toEqual(['add_to_cart', 'add_to_cart']);
    leaveNote();
    const s = start();
    await s.ready;
    expect(s.has('buyer')).toBe(false);
    s.track('add_to_cart');
    await s.flush();
    expect(await storedTypes()).toEqual(['add_to_cart']);
    expect(note()).toBeNull();
    expect(errors).toEqual([]);
  });

  it('a forget() left unfinished: the next page erases and sends the forget request for the id the note names', async () => {
    const forgotten = await visit({ beacon: BEACON });
    expect(forgotten).not.toBe('');
    leaveNote(forgotten);
    const bodies = captureBeacons();
    const s = start({ beacon: BEACON });
    await s.ready;
    await s.flush();
    expect(s.has('buyer')).toBe(false);
    expect(await storedTypes()).toEqual([]);
    expect(bodies.filter((b) => b['forget'] === true)).toEqual([expect.objectContaining({ anonymousId: forgotten, forget: true })]);
    expect(bodies.some((b) => b['anonymousId'] === forgotten && b['forget'] !== true)).toBe(false);
    expect(note()).toBeNull();
  });

  it('a forget() before ready left unfinished (the note names no id yet): the next page sends the request for the stored id', async () => {
    const forgotten = await visit({ beacon: BEACON });
    localStorage.setItem(ERASE_KEY, JSON.stringify({ token: 'another-page', forget: true }));
    expect(notedErase(window)).toEqual({ forget: true, token: 'another-page' });
    const bodies = captureBeacons();
    const s = start({ beacon: BEACON });
    await s.ready;
    await s.flush();
    expect(await storedTypes()).toEqual([]);
    expect(bodies.filter((b) => b['forget'] === true)).toEqual([expect.objectContaining({ anonymousId: forgotten, forget: true })]);
    expect(bodies.some((b) => b['anonymousId'] === forgotten && b['forget'] !== true)).toBe(false);
    expect(note()).toBeNull();
  });

  it('forget() before ready notes the erase at once', async () => {
    const s = start({ beacon: BEACON });
    const forgotten = s.forget();
    expect(note()).toMatchObject({ forget: true });
    await s.ready;
    await forgotten;
    expect(note()).toBeNull();
  });

  it('a pending page reads and erases nothing: the note waits for consent', async () => {
    await visit();
    leaveNote();
    const s = start({ consent: 'pending' });
    await s.ready;
    await tick();
    expect(await storedTypes()).toEqual(['add_to_cart', 'add_to_cart']);
    expect(notedErase(window)).toEqual({ forget: null, token: 'another-page' });
    s.consent('granted');
    await tick(100);
    await s.flush();
    expect(s.has('buyer')).toBe(false);
    expect(await storedTypes()).toEqual([]);
    expect(note()).toBeNull();
  });

  it('forget() keeps its note until the forget request is queued, naming the forgotten id', async () => {
    const { s, id: anonymousId } = await trackedWithBeacon();
    expect(anonymousId).toBeTypeOf('string');
    const forgotten = s.forget();
    expect(note()).toMatchObject({ forget: anonymousId });
    await forgotten;
    expect(note()).toBeNull();
  });

  it('forget() sends nothing more for the forgotten id but its forget request, though the page hides before the clear is done', async () => {
    const bodies = captureBeacons();
    const s = start({ beacon: BEACON });
    s.track('add_to_cart');
    s.track('add_to_cart');
    await s.ready;
    await s.flush();
    expect(bodies).toMatchObject([{ members: ['buyer'] }]);
    const forgottenId = bodies[0]?.['anonymousId'];
    const beacons: Record<string, unknown>[] = [];
    vi.spyOn(navigator, 'sendBeacon').mockImplementation((_url, body) => beacons.push(JSON.parse(String(body)) as Record<string, unknown>) > 0);
    const forgotten = s.forget();
    // Emptied memberships under the old id went out here as exits (the collector counted them).
    window.dispatchEvent(new Event('pagehide'));
    await forgotten;
    await s.flush();
    expect([...beacons, ...bodies.slice(1)].filter((b) => b['anonymousId'] === forgottenId)).toEqual([expect.objectContaining({ forget: true })]);
    expect(errors).toEqual([]);
  });

  it('a grant after a denial on the same page starts a new anonymous id (the denial deleted the old one)', async () => {
    const s = start();
    await s.ready;
    const read = (): Promise<unknown> => storedMeta('anonymousId');
    const before = await read();
    expect(before).toBeTypeOf('string');
    s.consent('denied');
    s.consent('granted');
    await tick(100);
    await s.flush();
    const after = await read();
    expect(after).toBeTypeOf('string');
    expect(after).not.toBe(before);
  });

  it('forget() then destroy() in one task: the forget request is still queued in the store', async () => {
    const { s, id: forgotten } = await trackedWithBeacon();
    void s.forget();
    s.destroy();
    instance = null;
    await tick(200);
    const queued = await storedMeta<{ queue: { body: Record<string, unknown> }[] }>('beacon');
    expect(queued?.queue.map((q) => q.body)).toEqual([expect.objectContaining({ anonymousId: forgotten, forget: true })]);
    expect(note()).toBeNull();
  });

  it('consent denied keeps its note until the clear is done', async () => {
    const s = start();
    s.track('add_to_cart');
    await s.ready;
    await s.flush();
    s.consent('denied');
    expect(note()).toMatchObject({ forget: null });
    await tick(100);
    expect(await storedTypes()).toEqual([]);
    expect(note()).toBeNull();
  });

  it('with localStorage blocked, forget() and a denial still erase, and nothing throws', async () => {
    const s = start();
    s.track('add_to_cart');
    await s.ready;
    await s.flush();
    blockStorage();
    await s.forget();
    expect(await storedTypes()).toEqual([]);
    s.track('add_to_cart');
    await s.flush();
    s.consent('denied');
    await tick(100);
    expect(await storedTypes()).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('an erase the last instance left waiting for the Web Lock (destroy(), then createSegments()) still comes before the next one writes', async () => {
    const first = start();
    first.track('add_to_cart');
    await first.ready;
    await first.flush();
    // An exclusive Web Lock that another tab holds for 50 ms when the first instance's erase asks.
    let calls = 0;
    let held: Promise<unknown> = Promise.resolve();
    const request = (_name: string, _options: unknown, task: () => Promise<unknown>): Promise<unknown> => {
      const delay = calls++ === 0 ? 50 : 0;
      const run = held.then(() => new Promise((r) => setTimeout(r, delay))).then(task);
      held = run.catch(() => undefined);
      return run;
    };
    Object.defineProperty(navigator, 'locks', { value: { request }, configurable: true });
    try {
      first.consent('denied');
      first.destroy();
      const next = start();
      next.track('purchase');
      await next.ready;
      await next.flush();
      await tick(150);
      expect(await storedTypes()).toEqual(['purchase']);
    } finally {
      Reflect.deleteProperty(navigator, 'locks');
    }
  });
});

describe('createSegments: a forget request left unqueued survives pages that cannot queue it', () => {
  it('a denied page erases but keeps the forgotten id noted; the next granted page with a beacon sends the request', async () => {
    const forgotten = await visit({ beacon: BEACON });
    leaveNote(forgotten);
    const denied = start({ consent: 'denied', beacon: BEACON });
    await denied.ready;
    await tick(100);
    expect(await storedTypes()).toEqual([]);
    expect(notedErase(window)).toEqual({ forget: forgotten, token: expect.any(String) });
    denied.destroy();
    instance = null;
    const bodies = captureBeacons();
    const s = start({ beacon: BEACON });
    await s.ready;
    await s.flush();
    expect(bodies.filter((b) => b['forget'] === true)).toEqual([expect.objectContaining({ anonymousId: forgotten, forget: true })]);
    expect(note()).toBeNull();
    expect(errors).toEqual([]);
  });
});

describe('createSegments: a forget request an erase leaves to the next page, under Global Privacy Control', () => {
  const gpc = (on: boolean): void => {
    if (on) Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true });
    else Reflect.deleteProperty(navigator, 'globalPrivacyControl');
  };
  afterEach(() => gpc(false));
  /** A visit under GPC: nothing batched, so the collector never had the anonymous id it stored. */
  async function unbatchedVisit(): Promise<string | undefined> {
    gpc(true);
    expect(await visit({ beacon: BEACON })).toBe('');
    return storedMeta<string>('anonymousId');
  }
  /** The next page, finding an unfinished erase noted for `forget`: what its beacon sent once settled. */
  async function finishedByNextPage(forget: string | true | undefined, beacon: { url: string; respectGPC?: boolean } = BEACON): Promise<Record<string, unknown>[]> {
    localStorage.setItem(ERASE_KEY, JSON.stringify({ token: 'another-page', forget }));
    const bodies = captureBeacons();
    const s = start({ beacon });
    await s.ready;
    await s.flush();
    await tick(100);
    return bodies;
  }
  /** The forget requests stored for the next beacon to send. */
  const queuedForgets = async (): Promise<unknown[]> => ((await storedMeta<{ queue: { body: Record<string, unknown> }[] }>('beacon'))?.queue ?? []).map((q) => q.body);

  for (const forget of ['the stored id (forget() before ready)', 'the id it names'] as const) {
    it(`names no id a batch never carried to the collector: ${forget}`, async () => {
      const id = await unbatchedVisit();
      expect(id).toBeTypeOf('string');
      const bodies = await finishedByNextPage(forget === 'the id it names' ? id : true);
      expect(await storedTypes()).toEqual([]);
      expect(bodies).toEqual([]);
      expect(await queuedForgets()).toEqual([]);
      expect(note()).toBeNull();
      expect(errors).toEqual([]);
    });
  }

  it('forget() before ready then destroy(): no request is left for an id never batched', async () => {
    await unbatchedVisit();
    const s = start({ beacon: BEACON });
    void s.forget();
    s.destroy();
    instance = null;
    await tick(200);
    expect(await storedTypes()).toEqual([]);
    expect(await queuedForgets()).toEqual([]);
  });

  it('names no id whose visit before GPC batched nothing (memberships that came to none)', async () => {
    // A beacon ran (GPC off) and noted the id, but one add_to_cart makes no segment: nothing went.
    const { s: first, id } = await trackedWithBeacon();
    first.destroy();
    instance = null;
    expect(id).toBeTypeOf('string');
    expect(await storedMeta<{ anonymousId: string }>('beacon')).toMatchObject({ anonymousId: id });
    gpc(true);
    const bodies = await finishedByNextPage(true);
    expect(bodies).toEqual([]);
    expect(await queuedForgets()).toEqual([]);
    expect(note()).toBeNull();
  });

  it('still deletes a profile batched before GPC was on', async () => {
    const forgotten = await visit({ beacon: BEACON });
    gpc(true);
    const bodies = await finishedByNextPage(true);
    expect(bodies).toEqual([expect.objectContaining({ anonymousId: forgotten, forget: true })]);
    expect(note()).toBeNull();
  });

  for (const when of ['GPC off', 'respectGPC: false'] as const) {
    it(`with ${when} on the next page, the request goes as before, batched or not`, async () => {
      const id = await unbatchedVisit();
      if (when === 'GPC off') gpc(false);
      const bodies = await finishedByNextPage(true, when === 'GPC off' ? BEACON : { ...BEACON, respectGPC: false });
      expect(bodies.filter((b) => b['forget'] === true)).toEqual([expect.objectContaining({ anonymousId: id, forget: true })]);
    });
  }
});
