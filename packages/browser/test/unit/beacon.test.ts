import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SegletError } from '@seglet/core';
import { createBeacon } from '../../src/beacon/index.js';
import { STATE_KEY } from '../../src/beacon/beaconState.js';
import type { BeaconOptions, BeaconState } from '../../src/beacon/types.js';

const T0 = Date.UTC(2026, 10, 29, 12);
const URL_ABS = 'https://shop.example/seglet/beacon';
type Body = Record<string, unknown> & { id: string };
interface Call { url: string; init: RequestInit; body: Body; at: number }
type Reply = number | { status: number; retryAfter?: string } | 'network' | 'hang';

/** A meta store double (what `EventStore.getMeta/setMeta` do, cloned like IndexedDB). */
function memoryStore() {
  const map = new Map<string, unknown>();
  return {
    map,
    getMeta: async <T>(key: string) => structuredClone(map.get(key)) as T | undefined,
    setMeta: async (key: string, value: unknown) => { map.set(key, structuredClone(value)); },
    state: () => map.get(STATE_KEY) as BeaconState | undefined,
  };
}

/** A LockManager double with exclusive `request` and `ifAvailable`, shared by the "tabs" of a test. */
function fakeLocks() {
  const held = new Set<string>();
  const waiting = new Map<string, (() => void)[]>();
  const request = async (name: string, opts: LockOptions, cb: (lock: Lock | null) => Promise<unknown>) => {
    if (held.has(name)) {
      if (opts.ifAvailable) return cb(null);
      await new Promise<void>((r) => { waiting.set(name, [...(waiting.get(name) ?? []), r]); });
    }
    held.add(name);
    try { return await cb({ name, mode: 'exclusive' } as Lock); } finally {
      const next = waiting.get(name)?.shift();
      if (next) next(); else held.delete(name);
    }
  };
  return { held, locks: { request, query: async () => ({}) } as unknown as LockManager };
}

/** Network double: every fetch and sendBeacon is recorded; `replies` answers fetches in order (then 204). */
function fakeNet() {
  const calls: Call[] = [];
  const beacons: { url: string; body: Body }[] = [];
  const replies: Reply[] = [];
  const hung: ((r: Response) => void)[] = [];
  let beaconResult = true;
  const fetch = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {}, body: JSON.parse(String(init?.body)) as Body, at: Date.now() });
    const reply = replies.shift() ?? 204;
    if (reply === 'network') throw new TypeError('Failed to fetch');
    if (reply === 'hang') return new Promise<Response>((r) => hung.push(r));
    const { status, retryAfter } = typeof reply === 'number' ? { status: reply, retryAfter: undefined } : reply;
    return { status, headers: new Headers(retryAfter === undefined ? {} : { 'Retry-After': retryAfter }) } as Response;
  });
  const sendBeacon = vi.fn((url: string, body: string) => {
    expect(typeof body).toBe('string');
    beacons.push({ url, body: JSON.parse(body) as Body });
    return beaconResult;
  });
  return { calls, beacons, replies, hung, fetch, sendBeacon, refuseBeacons: () => { beaconResult = false; } };
}

const fakeWin = (gpc?: boolean): Window => ({
  location: { href: 'https://shop.example/products/1?ref=x' },
  navigator: gpc === undefined ? {} : { globalPrivacyControl: gpc },
} as unknown as Window);

let net: ReturnType<typeof fakeNet>;
let store: ReturnType<typeof memoryStore>;
let errors: SegletError[];
let anon: string;
let user: string | null;
const started: { stop(): void }[] = [];

function beacon(over: Partial<BeaconOptions> = {}) {
  const b = createBeacon({
    url: '/seglet/beacon', anonymousId: () => anon, userId: () => user, store, onError: (e) => errors.push(e),
    now: () => Date.now(), fetch: net.fetch as typeof fetch, sendBeacon: net.sendBeacon, locks: null, win: fakeWin(), random: () => 0,
    ...over,
  });
  started.push(b);
  return b;
}
const tick = async (ms: number): Promise<void> => { await vi.advanceTimersByTimeAsync(ms); };
const ids = (): string[] => net.calls.map((c) => c.body.id);
/** A beacon whose first batch's fetch is still waiting for its answer when it stops (the page closed, or consent denied). */
async function stoppedMidFetch(): Promise<void> {
  net.replies.push('hang');
  const b = beacon();
  b.update(['a']);
  await tick(1000);
  expect(net.calls).toHaveLength(1);
  b.stop();
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  net = fakeNet();
  store = memoryStore();
  errors = [];
  anon = 'anon-1';
  user = null;
});
afterEach(() => {
  for (const b of started.splice(0)) b.stop();
  vi.useRealTimers();
});

describe('createBeacon: what is sent', () => {
  it('sends a first visit once, a second after the change, as a text/plain string body', async () => {
    const b = beacon();
    await tick(0);
    b.update(['high-intent']);
    await tick(999);
    expect(net.calls).toHaveLength(0);
    await tick(1);
    expect(net.calls).toHaveLength(1);
    const [call] = net.calls;
    expect(call!.url).toBe(URL_ABS);
    expect(call!.init).toMatchObject({
      method: 'POST', keepalive: true, credentials: 'omit', headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
    });
    expect(typeof call!.init.body).toBe('string');
    expect(call!.body).toEqual({
      v: 1, id: expect.stringMatching(/^[A-Za-z0-9_-]{1,128}$/), anonymousId: 'anon-1', sentAt: T0 + 1000,
      changes: [{ segment: 'high-intent', member: true, t: T0 }], members: ['high-intent'],
    });
    expect('userId' in call!.body).toBe(false);
    await tick(120_000);
    expect(net.calls).toHaveLength(1);
    expect(store.state()).toMatchObject({ acked: ['high-intent'], queue: [] });
    expect(errors).toEqual([]);
  });

  it('sends memberships that did not change again a week after the last settled batch, so the collector does not expire the profile', async () => {
    const DAY = 86_400_000;
    const visit = async (at: number): Promise<void> => {
      vi.setSystemTime(at);
      const b = beacon();
      b.update(['a']);
      await tick(5_000);
      b.stop();
    };
    await visit(T0);
    expect(net.calls).toHaveLength(1);
    const acked = store.state()!.settledAt!;
    expect(acked).toBeGreaterThanOrEqual(T0 + 1_000);
    await visit(acked + 7 * DAY - 10_000);
    expect(net.calls).toHaveLength(1);
    await visit(acked + 7 * DAY);
    expect(net.calls).toHaveLength(2);
    expect(net.calls[1]!.body).toMatchObject({ anonymousId: 'anon-1', changes: [], members: ['a'] });
    expect(net.calls[1]!.body.id).not.toBe(net.calls[0]!.body.id);
    expect(store.state()).toMatchObject({ acked: ['a'], queue: [], settledAt: net.calls[1]!.at });
    await visit(acked + 8 * DAY);
    expect(net.calls).toHaveLength(2);
    // A state stored before acknowledgements were timed counts from the visit that reads it.
    store.map.set(STATE_KEY, { ...store.state(), settledAt: undefined });
    await visit(acked + 30 * DAY);
    expect(net.calls).toHaveLength(2);
    await visit(acked + 37 * DAY + 1_000);
    expect(net.calls).toHaveLength(3);
    expect(errors).toEqual([]);
  });

  it('sends a userId the collector has not had yet on its own, once, when identify() changed no membership', async () => {
    const b = beacon();
    b.update(['a']);
    await tick(2_000);
    expect(net.calls).toHaveLength(1);
    expect('userId' in net.calls[0]!.body).toBe(false);
    user = 'user-42';
    b.update(['a']);
    await tick(2_000);
    expect(net.calls).toHaveLength(2);
    expect(net.calls[1]!.body).toMatchObject({ userId: 'user-42', changes: [], members: ['a'] });
    expect(store.state()).toMatchObject({ user: 'user-42', queue: [] });
    b.update(['a']);
    await tick(5_000);
    b.stop();
    const again = beacon();
    again.update(['a']);
    await tick(5_000);
    expect(net.calls).toHaveLength(2);
    // Refused (a 400): settled, not tried again on every change.
    user = 'user-43';
    net.replies.push(400);
    again.update(['a']);
    await tick(2_000);
    again.update(['a']);
    await tick(5_000);
    expect(net.calls).toHaveLength(3);
    expect(errors.map((e) => e.code)).toEqual(['beacon_failed']);
  });

  it('a reload sends nothing; a later change sends only the difference', async () => {
    const first = beacon();
    first.update(['a', 'b']);
    await tick(2000);
    first.stop();
    const again = beacon();
    again.update(['a', 'b']);
    await tick(10_000);
    expect(net.calls).toHaveLength(1);
    again.update(['a', 'c']);
    await tick(1000);
    expect(net.calls).toHaveLength(2);
    expect(net.calls[1]!.body.changes).toEqual([
      { segment: 'b', member: false, t: T0 + 12_000 }, { segment: 'c', member: true, t: T0 + 12_000 },
    ]);
    expect(net.calls[1]!.body.members).toEqual(['a', 'c']);
  });

  it('nets flapping inside the coalescing second and coalesces a burst into one batch a second', async () => {
    const b = beacon();
    await tick(0);
    b.update(['a']);
    await tick(300);
    b.update([]);
    await tick(5000);
    expect(net.calls).toHaveLength(0);
    b.update(['a']);
    await tick(200);
    b.update(['a', 'b']);
    await tick(700);
    b.update(['b', 'c']);
    await tick(100);
    expect(net.calls).toHaveLength(1);
    expect(net.calls[0]!.body.changes).toEqual([
      { segment: 'b', member: true, t: T0 + 5500 }, { segment: 'c', member: true, t: T0 + 6200 },
    ]);
    b.update(['c']);
    await tick(999);
    expect(net.calls).toHaveLength(1);
    await tick(1);
    expect(net.calls.map((c) => c.at - T0)).toEqual([6300, 7300]);
  });

  it('includes userId only once the host identified', async () => {
    const b = beacon();
    b.update(['a']);
    await tick(1000);
    user = 'user-42';
    b.update(['a', 'b']);
    await tick(1000);
    expect(net.calls.map((c) => c.body.userId)).toEqual([undefined, 'user-42']);
  });

  it('starts from an empty set for a new anonymous id', async () => {
    const b = beacon();
    b.update(['a']);
    await tick(1000);
    anon = 'anon-2';
    b.update(['a', 'b']);
    await tick(1000);
    expect(net.calls[1]!.body).toMatchObject({ anonymousId: 'anon-2', members: ['a', 'b'] });
    expect(net.calls[1]!.body.changes).toHaveLength(2);
  });

  it('keeps the state in memory when there is no store', async () => {
    const b = beacon({ store: null });
    b.update(['a']);
    await tick(1000);
    b.update(['a']);
    await tick(3000);
    expect(net.calls).toHaveLength(1);
    expect(store.map.size).toBe(0);
  });

  it('resolves relative URLs against the page and reports an invalid one without throwing', async () => {
    beacon({ url: 'beacon' }).update(['a']);
    await tick(1000);
    expect(net.calls[0]!.url).toBe('https://shop.example/products/beacon');
    const bad = beacon({ url: 'http://[::1' });
    expect(() => { bad.update(['x']); bad.pagehide(); }).not.toThrow();
    await bad.flush();
    expect(errors.map((e) => e.code)).toEqual(['invalid_option']);
    beacon({ url: 123 as unknown as string }).update(['y']);
    await tick(1000);
    expect([net.calls.length, errors.map((e) => e.code)]).toEqual([1, ['invalid_option', 'invalid_option']]);
  });
});

describe('createBeacon: delivery', () => {
  it('retries network errors and 5xx with the same id, a fresh sentAt, backing off from 1 s', async () => {
    net.replies.push('network', 500, 503, 502);
    const b = beacon();
    b.update(['a']);
    await tick(1000);
    await tick(1000 + 1000 + 2000 + 4000);
    expect(net.calls.map((c) => c.at - T0)).toEqual([1000, 2000, 3000, 5000, 9000]);
    expect(new Set(ids()).size).toBe(1);
    expect(net.calls.map((c) => c.body.sentAt)).toEqual(net.calls.map((c) => c.at));
    await tick(600_000);
    expect(net.calls).toHaveLength(5);
    expect(store.state()).toMatchObject({ acked: ['a'], queue: [] });
  });

  it('sends and acknowledges the queue in order, so an older batch never rolls the acknowledged set back', async () => {
    net.replies.push('network', 'network', 'network');
    const b = beacon();
    b.update(['a']);
    // The first batch failed three times and waits 2 s; the second is batched meanwhile.
    await tick(3100);
    b.update(['a', 'b']);
    await tick(60_000);
    const [first, second, ...more] = [...new Set(ids())];
    expect(more).toEqual([]);
    expect(ids().lastIndexOf(first!)).toBeLessThan(ids().indexOf(second!));
    expect(store.state()).toMatchObject({ acked: ['a', 'b'], queue: [] });
  });

  it('caps the backoff at 60 s, jittered, and gives up after 24 h', async () => {
    net.replies.push(...Array<Reply>(3000).fill(503));
    const b = beacon({ random: () => 0.999_999 });
    b.update(['a']);
    await tick(1000);
    await tick(25 * 3_600_000);
    const gaps = net.calls.slice(1).map((c, i) => c.at - net.calls[i]!.at);
    expect(gaps.slice(0, 7)).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000]);
    expect(Math.max(...gaps)).toBe(60_000);
    expect(net.calls.at(-1)!.at - T0 - 1000).toBeLessThan(24 * 3_600_000);
    expect(net.calls.at(-1)!.at - T0 - 1000).toBeGreaterThan(24 * 3_600_000 - 61_000);
    expect(errors.map((e) => e.code)).toEqual(['beacon_failed']);
    expect(store.state()!.queue).toEqual([]);
  });

  it('retries 408 and 429, honouring Retry-After', async () => {
    net.replies.push({ status: 429, retryAfter: '7' }, 408, { status: 429, retryAfter: new Date(T0 + 60_000).toUTCString() });
    const b = beacon();
    b.update(['a']);
    await tick(1000);
    await tick(120_000);
    expect(net.calls.map((c) => c.at - T0)).toEqual([1000, 8000, 9000, 60_000]);
  });

  it('a Retry-After of days holds the batch no later than its give-up instant, and the timer does not spin', async () => {
    const timeouts = vi.spyOn(globalThis, 'setTimeout');
    net.replies.push({ status: 429, retryAfter: String(40 * 86_400) });
    const b = beacon();
    b.update(['a']);
    await tick(1000);
    // 40 days is past setTimeout's range (2^31 - 1 ms), which fired at once, every time.
    const armed = timeouts.mock.calls.length;
    await tick(50);
    expect(timeouts.mock.calls.length - armed).toBeLessThan(3);
    // Given up at 24 h, as any batch is, not held for 40 days with the queue behind it.
    await tick(24 * 3_600_000 - 100);
    expect(store.state()!.queue).toHaveLength(1);
    await tick(200);
    expect(store.state()!.queue).toEqual([]);
    expect(errors.map((e) => e.code)).toEqual(['beacon_failed']);
    expect(net.calls).toHaveLength(1);
  });

  it('drops other 4xx (400, 413, 403) at once, reports them, and does not send them again', async () => {
    net.replies.push(400, 413, 403);
    const b = beacon();
    b.update(['a']);
    await tick(1000);
    b.update(['a', 'b']);
    await tick(1000);
    b.update(['b']);
    await tick(60_000);
    expect(net.calls).toHaveLength(3);
    expect(new Set(ids()).size).toBe(3);
    expect(errors.map((e) => e.code)).toEqual(['beacon_failed', 'beacon_failed', 'beacon_failed']);
    expect(errors[1]!.message).toMatch(/^seglet: .*413/);
  });

  it('sends a batch refused for a device clock over a day fast once more on the collector clock (its Date header)', async () => {
    const DAY = 86_400_000;
    const seen: { status: number; sentAt: number; t: number }[] = [];
    // The collector's rule (runtime spec, section 5): sentAt at most its own now + 1 day.
    const collector = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as { sentAt: number; changes: { t: number }[] };
      const status = body.sentAt > Date.now() + DAY ? 400 : 204;
      seen.push({ status, sentAt: body.sentAt, t: body.changes[0]!.t });
      return { status, headers: new Headers({ Date: new Date(Date.now()).toUTCString() }) } as Response;
    });
    const b = beacon({ now: () => Date.now() + 3 * DAY, fetch: collector as typeof fetch });
    b.update(['a']);
    await tick(1000);
    expect(seen.map((x) => x.status)).toEqual([400, 204]);
    expect(seen[0]).toMatchObject({ sentAt: T0 + 3 * DAY + 1000, t: T0 + 3 * DAY });
    // On the collector's clock, to the second its Date header gives.
    expect(Math.abs(seen[1]!.sentAt - (T0 + 1000))).toBeLessThan(1000);
    expect(seen[1]!.sentAt - seen[1]!.t).toBe(1000);
    expect(store.state()).toMatchObject({ acked: ['a'], queue: [] });
    expect(errors).toEqual([]);
    // A clock that is right again sends as it is; a 400 without a fast clock is not sent twice.
    const right = beacon({ now: () => Date.now(), fetch: collector as typeof fetch });
    right.update(['b']);
    await tick(2000);
    expect(seen.slice(2)).toEqual([{ status: 204, sentAt: T0 + 2000, t: T0 + 1000 }]);
    net.replies.push(400);
    const refused = beacon({ now: () => Date.now() + 3 * DAY });
    refused.update(['c']);
    await tick(2000);
    expect(net.calls).toHaveLength(1);
    expect(errors.map((e) => e.code)).toEqual(['beacon_failed']);
  });

  it('keeps an unacknowledged batch queued across reloads and resends it with the same id', async () => {
    net.replies.push('network');
    const first = beacon();
    first.update(['a']);
    await tick(1000);
    first.stop();
    expect(store.state()!.queue).toHaveLength(1);
    const again = beacon();
    again.update(['a']);
    await tick(1000);
    expect(ids()).toEqual([ids()[0], ids()[0]]);
    expect(store.state()).toMatchObject({ acked: ['a'], queue: [] });
  });

  it('has one request in flight at a time and flush() resolves once batches are handed to fetch', async () => {
    net.replies.push('hang');
    const b = beacon();
    b.update(['a']);
    await b.flush();
    expect(net.calls).toHaveLength(1);
    b.update(['a', 'b']);
    await tick(5000);
    expect(net.calls).toHaveLength(1);
    net.hung[0]!({ status: 204, headers: new Headers() } as Response);
    await tick(0);
    await b.flush();
    expect(net.calls).toHaveLength(2);
    expect(net.calls[1]!.body.changes).toEqual([{ segment: 'b', member: true, t: T0 }]);
  });

  it('waits while another tab holds the Web Lock seglet:beacon; N tabs send one batch', async () => {
    const { locks, held } = fakeLocks();
    held.add('seglet:beacon');
    const tabs = [beacon({ locks }), beacon({ locks }), beacon({ locks })];
    for (const t of tabs) t.update(['a']);
    await tick(3000);
    expect(net.calls).toHaveLength(0);
    held.delete('seglet:beacon');
    await tick(3000);
    expect(net.calls).toHaveLength(1);
    expect(net.calls[0]!.body.changes).toEqual([{ segment: 'a', member: true, t: T0 }]);
  });

  it('bounds the queue, giving up the oldest batches', async () => {
    net.replies.push(...Array<Reply>(500).fill('network'));
    const b = beacon();
    for (let i = 0; i < 80; i++) {
      b.update([`s${i}`]);
      await b.flush();
    }
    expect(store.state()!.queue.length).toBe(64);
    expect(errors.map((e) => e.code)).toContain('beacon_failed');
  });

  it('does not roll back to a stored state older than its own when a write failed', async () => {
    const first = beacon();
    first.update(['a']);
    net.replies.push('network');
    await tick(1000);
    first.stop();
    // From here on every write is lost: the store keeps answering with the queued batch.
    store.setMeta = async () => undefined;
    const again = beacon();
    again.update(['a']);
    await tick(60_000);
    again.update(['a', 'b']);
    await tick(60_000);
    expect(ids()).toEqual([ids()[0], ids()[0], expect.not.stringMatching(ids()[0]!)]);
    expect(net.calls[2]!.body.changes).toEqual([{ segment: 'b', member: true, t: T0 + 61_000 }]);
  });

  it("ignores the previous page's late pagehide write: no batch of this page is lost or re-made", async () => {
    net.replies.push(...Array<Reply>(3).fill('network'));
    const first = beacon();
    first.update(['a']);
    await tick(1000);
    const late = structuredClone(store.state()!);
    first.stop();
    const second = beacon();
    second.update(['a', 'b']);
    await tick(1500);
    // The first page's write lands now, over the second page's state, at the same revision.
    store.map.set(STATE_KEY, { ...late, rev: store.state()!.rev });
    await tick(120_000);
    const withB = net.calls.filter((c) => JSON.stringify(c.body.changes).includes('"b"'));
    expect(new Set(withB.map((c) => c.body.id)).size).toBe(1);
    expect(withB.at(-1)!.at).toBeGreaterThan(T0 + 2500);
  });

  it("a tab hidden again and again with nothing to hand over leaves the sender's stored state alone: its refused batch is retried", async () => {
    const { locks } = fakeLocks();
    const sender = beacon({ locks });
    const idle = beacon({ locks });
    await tick(0);
    idle.update([]); // this tab's context keeps it out of x
    sender.update(['x']);
    await tick(1500);
    net.replies.push(503);
    sender.update([]);
    await tick(1000);
    // Each pagehide wrote this tab's older state with a higher revision, and the sender took it.
    for (let i = 0; i < 6; i++) idle.pagehide();
    await tick(600_000);
    expect(net.calls.filter((c) => JSON.stringify(c.body.changes).includes('"member":false')).length).toBeGreaterThanOrEqual(2);
    expect(store.state()!.acked).toEqual([]);
  });

  /** Two tabs of one profile (id0), each having sent membership x; `to` moves a tab to another id. */
  async function twoTabs() {
    const { locks } = fakeLocks();
    const ids = { a: 'id0', b: 'id0' };
    const a = beacon({ locks, anonymousId: () => ids.a });
    const b = beacon({ locks, anonymousId: () => ids.b });
    await tick(0);
    a.update(['x']);
    b.update(['x']);
    await tick(3000);
    return { a, b, to: (tab: 'a' | 'b', id: string) => { ids[tab] = id; } };
  }

  it("a tab that heard of another tab's forget() keeps its stored forget request when it is hidden", async () => {
    const { a, b, to } = await twoTabs();
    net.replies.push(503, 503, 503);
    await a.forget();
    to('a', 'id1');
    b.reset();
    to('b', 'id1');
    await tick(0);
    a.pagehide();
    a.stop();
    await tick(0);
    // Its state since the reset was empty, and this write replaced the stored forget request.
    b.pagehide();
    await tick(0);
    expect(store.state()!.queue.some((q) => 'forget' in q.body)).toBe(true);
    await tick(120_000);
    expect(net.calls.filter((c) => c.body.forget === true).length).toBeGreaterThan(3);
  });

  /**
   * Tab a forgets (its clear erased the store, then its request is saved) while the collector is
   * down; tab b, whose saves have a higher revision, has not heard yet and saves a change of the
   * forgotten profile (userId u1) before it hears. Returns the forget requests sent for id0 and the state left.
   */
  async function heardLate(): Promise<{ forgets: number; state: BeaconState }> {
    user = 'u1';
    const { a, b, to } = await twoTabs();
    for (const m of [['x', 'y'], ['x'], ['x', 'y'], ['x']]) { b.update(m); await tick(1500); }
    net.replies.push(503, 503);
    await a.forget(Promise.resolve(store.map.clear()));
    to('a', 'id1');
    expect(store.state()!.queue.map((q) => [q.body.anonymousId, 'forget' in q.body])).toEqual([['id0', true]]);
    b.update(['x', 'z']);
    await tick(1500);
    b.reset();
    to('b', 'id1');
    user = null;
    await tick(120_000);
    return { forgets: net.calls.filter((c) => c.body.forget === true && c.body.anonymousId === 'id0').length, state: store.state()! };
  }

  it("a tab not told yet of another tab's forget() whose save comes after that tab's erase keeps the stored forget request", async () => {
    const { forgets, state } = await heardLate();
    // b's save, at its higher revision, replaced the stored forget request, and a took b's state
    // at its retry: after two 503s the request was never sent again.
    expect(forgets).toBe(3);
    expect(state.queue).toEqual([]);
  });

  it("a tab not told yet of another tab's forget() whose save comes after that tab's erase does not keep the forgotten userId in the new id's state", async () => {
    const { state } = await heardLate();
    // Stored as the last settled userId of the new id (b adopted its own saved state at reset).
    expect(JSON.stringify(state)).not.toContain('u1');
  });

  it('discards a corrupt stored state, reporting it', async () => {
    store.map.set(STATE_KEY, { v: 1, acked: 'nope', queue: [] });
    const b = beacon();
    b.update(['a']);
    await tick(1000);
    expect(errors.map((e) => e.code)).toEqual(['corrupt_data']);
    expect(net.calls).toHaveLength(1);
  });
});

describe('createBeacon: page exit', () => {
  it('sends pending changes with sendBeacon on pagehide, never an empty batch, and resends them with fetch next load', async () => {
    const b = beacon();
    await tick(0);
    b.pagehide();
    expect(net.beacons).toHaveLength(0);
    b.update(['a']);
    b.pagehide();
    b.pagehide();
    expect(net.beacons).toHaveLength(1);
    expect(net.beacons[0]).toEqual({
      url: URL_ABS, body: { v: 1, id: expect.any(String), anonymousId: 'anon-1', sentAt: T0, changes: [{ segment: 'a', member: true, t: T0 }], members: ['a'] },
    });
    expect(net.calls).toHaveLength(0);
    b.stop();
    await tick(0);
    const next = beacon();
    next.update(['a']);
    await tick(1000);
    expect(ids()).toEqual([net.beacons[0]!.body.id]);
    await tick(10_000);
    expect(net.calls).toHaveLength(1);
  });

  it('two tabs closing within the coalescing second send one change under one id, so the collector applies it once', async () => {
    const [a, b] = [beacon(), beacon()];
    await tick(0);
    a.update(['a']);
    await tick(300);
    // The other tab saw the change a little later: its time differs, its id must not.
    b.update(['a']);
    a.pagehide();
    b.pagehide();
    expect(net.beacons).toHaveLength(2);
    const [first, second] = net.beacons.map((x) => x.body);
    expect(second!.id).toBe(first!.id);
    expect(first!.id).toMatch(/^anon-1_[0-9]+_0$/);
    expect([first!.changes, second!.changes]).toEqual([[{ segment: 'a', member: true, t: T0 }], [{ segment: 'a', member: true, t: T0 + 300 }]]);
  });

  describe('tabs running different rules (a deploy while a tab stays open)', () => {
    // Keys are "id definition": the facade hashes each segment's definition.
    const older = { at: T0 - 60_000, keys: ['w 1', 'x 1', 'y 1'] };
    const newer = { at: T0, keys: ['x 1', 'y 2', 'z 1'] };
    const changes = () => net.calls.map((c) => c.body.changes);

    it('the older rules leave alone what the newer rules define differently or alone, so nothing flaps', async () => {
      const [n, o] = [beacon({ rules: () => newer }), beacon({ rules: () => older })];
      await tick(0);
      n.update(['x', 'y']);
      await tick(1500);
      o.update(['x']);
      await tick(1500);
      n.update(['x', 'y', 'z']);
      await tick(1500);
      o.update(['x', 'w']);
      await tick(1500);
      o.update([]);
      await tick(1500);
      expect(changes()).toEqual([
        [{ segment: 'x', member: true, t: T0 }, { segment: 'y', member: true, t: T0 }],
        [{ segment: 'z', member: true, t: T0 + 3000 }],
        // x means the same in both: the older tab still speaks for it.
        [{ segment: 'x', member: false, t: T0 + 6000 }],
      ]);
      expect(net.calls.at(-1)!.body.members).toEqual(['y', 'z']);
    });

    it('the newer rules speak for the whole profile: a segment they dropped exits once, and the older tab does not bring it back', async () => {
      const [o, n] = [beacon({ rules: () => older }), beacon({ rules: () => newer })];
      await tick(0);
      o.update(['w', 'x']);
      await tick(1500);
      n.update(['x']);
      await tick(1500);
      o.update(['x']);
      await tick(1500);
      o.update(['w', 'x']);
      await tick(1500);
      expect(changes()).toEqual([
        [{ segment: 'w', member: true, t: T0 }, { segment: 'x', member: true, t: T0 }],
        // Never a member in that tab: the exit is stamped when it is batched.
        [{ segment: 'w', member: false, t: T0 + 2500 }],
      ]);
    });
  });

  it('a change that comes back gets a new id; another profile never shares one', async () => {
    const b = beacon();
    await tick(0);
    for (const members of [['a'], [], ['a']]) {
      b.update(members);
      await tick(1000);
    }
    anon = 'anon-2';
    b.update(['a', 'b']);
    await tick(1000);
    b.update(['a']);
    await tick(1000);
    expect(net.calls.map((c) => c.body.changes).slice(0, 3)).toEqual([
      [{ segment: 'a', member: true, t: T0 }], [{ segment: 'a', member: false, t: T0 + 1000 }], [{ segment: 'a', member: true, t: T0 + 2000 }],
    ]);
    expect(net.calls.map((c) => c.body.anonymousId)).toEqual(['anon-1', 'anon-1', 'anon-1', 'anon-2', 'anon-2']);
    expect(new Set(ids()).size).toBe(5);
    expect(ids().slice(3).every((id) => id.startsWith('anon-2_'))).toBe(true);
  });

  it('a batch no fetch has tried yet is tried once on a load more than 24 h later, a forget request too, before it is given up', async () => {
    // The visitor forgets, then enters a segment, and closes the laptop: handed to sendBeacon,
    // which says true offline, and never fetched.
    const first = beacon({ locks: fakeLocks().locks });
    await tick(0);
    const forgotten = first.forget();
    anon = 'anon-2';
    await forgotten;
    first.stop();
    first.update(['a']);
    expect(store.state()!.queue.map((q) => q.attempts)).toEqual([0]);
    // The next page, while another tab holds the sending lock, goes at once too.
    const busy = fakeLocks();
    busy.held.add('seglet:beacon');
    const again = beacon({ locks: busy.locks });
    await tick(0);
    again.update(['a']);
    again.pagehide();
    again.stop();
    const handed = net.beacons.map((b) => b.body.id);
    expect(handed).toHaveLength(2);
    expect(net.calls).toEqual([]);
    // Back two days later.
    await tick(48 * 3_600_000);
    const later = beacon();
    later.update(['a']);
    await tick(1000);
    expect(ids()).toEqual(handed);
    expect(errors).toEqual([]);
    expect(store.state()).toMatchObject({ acked: ['a'], queue: [] });
  });

  it('such a batch whose one fetch fails is given up then, not retried for another day', async () => {
    const busy = fakeLocks();
    busy.held.add('seglet:beacon');
    const first = beacon({ locks: busy.locks });
    await tick(0);
    first.update(['a']);
    first.pagehide();
    first.stop();
    await tick(48 * 3_600_000);
    net.replies.push(503);
    beacon();
    await tick(120_000);
    expect(net.calls).toHaveLength(1);
    expect(errors.map((e) => e.code)).toEqual(['beacon_failed']);
    expect(store.state()!.queue).toEqual([]);
  });

  it('a page that lives on after pagehide resends its sendBeacon batches with fetch 5 s later', async () => {
    const b = beacon();
    await tick(0);
    b.update(['a']);
    b.pagehide();
    await tick(4999);
    expect(net.calls).toHaveLength(0);
    await tick(1);
    expect(ids()).toEqual([net.beacons[0]!.body.id]);
    expect(store.state()).toMatchObject({ acked: ['a'], queue: [] });
  });

  it('falls back to fetch keepalive when sendBeacon refuses', async () => {
    net.refuseBeacons();
    const b = beacon();
    await tick(0);
    b.update(['a']);
    b.pagehide();
    expect(net.beacons).toHaveLength(1);
    expect(net.calls).toHaveLength(1);
    expect(net.calls[0]!.init).toMatchObject({ keepalive: true, credentials: 'omit', method: 'POST' });
    expect(net.calls[0]!.body.id).toBe(net.beacons[0]!.body.id);
  });
});

describe('createBeacon: privacy', () => {
  it('forget() drops the queue and sends only the forget request, retried until acknowledged', async () => {
    net.replies.push('network', 'network', 503);
    const b = beacon();
    b.update(['a']);
    await tick(1000);
    const forgotten = b.forget();
    anon = 'anon-2';
    b.update([]);
    await forgotten;
    await tick(120_000);
    const bodies = net.calls.map((c) => c.body);
    expect(bodies[0]!.changes).toBeDefined();
    const forgets = bodies.slice(1);
    expect(forgets.length).toBeGreaterThanOrEqual(3);
    for (const f of forgets) expect(f).toEqual({ v: 1, id: forgets[0]!.id, anonymousId: 'anon-1', forget: true });
    expect(store.state()).toMatchObject({ queue: [] });
    b.update(['z']);
    await tick(1000);
    expect(net.calls.at(-1)!.body).toMatchObject({ anonymousId: 'anon-2', members: ['z'] });
  });

  it('forget() in the facade order: the old id until it resolves, then the new id starts from empty', async () => {
    const b = beacon();
    b.update(['a', 'mobile']);
    await tick(1000);
    // The facade rebuilt for the new id (a context segment still holds) while still reporting the old one.
    b.update(['mobile']);
    await b.forget();
    anon = 'anon-2';
    await tick(10_000);
    const bodies = net.calls.map((c) => c.body);
    expect(bodies.map((x) => [x.anonymousId, x.forget ?? x.changes])).toEqual([
      ['anon-1', [{ segment: 'a', member: true, t: T0 }, { segment: 'mobile', member: true, t: T0 }]],
      ['anon-1', true],
      ['anon-2', [{ segment: 'mobile', member: true, t: expect.any(Number) }]],
    ]);
  });

  it('sends nothing under Global Privacy Control unless respectGPC is false', async () => {
    const quiet = beacon({ win: fakeWin(true) });
    quiet.update(['a']);
    await tick(5000);
    quiet.pagehide();
    await quiet.flush();
    await quiet.forget();
    expect(net.calls).toHaveLength(0);
    expect(net.beacons).toHaveLength(0);
    const loud = beacon({ win: fakeWin(true), respectGPC: false });
    loud.update(['a']);
    await tick(1000);
    expect(net.calls).toHaveLength(1);
  });

  it('under Global Privacy Control forget() still deletes a profile batched before GPC was on, and an earlier page\'s forget request goes at once', async () => {
    // Synced before GPC was on: the collector holds anon-1.
    const before = beacon();
    before.update(['a']);
    await tick(1000);
    before.stop();
    expect(net.calls).toHaveLength(1);
    // GPC on: nothing more is batched, but the deletion of what the collector holds goes.
    const quiet = beacon({ win: fakeWin(true) });
    quiet.update(['a', 'b']);
    await tick(5000);
    expect(net.calls).toHaveLength(1);
    await quiet.forget();
    await tick(1000);
    expect(net.calls.map((c) => [c.body.anonymousId, c.body.forget === true])).toEqual([['anon-1', false], ['anon-1', true]]);
    expect(store.state()!.queue).toEqual([]);
    // The next id was never batched: forgetting it under GPC sends nothing (the collector has never seen it).
    anon = 'anon-2';
    quiet.update(['a']);
    await quiet.forget();
    await tick(5000);
    quiet.stop();
    expect(net.calls).toHaveLength(2);
    // A forget request an earlier page queued (GPC off, the collector down) goes with a page under GPC.
    anon = 'anon-3';
    net.replies.push('network', 'network');
    const earlier = beacon();
    earlier.update(['a']);
    await tick(1000);
    await earlier.forget();
    earlier.stop();
    const queued = store.state()!.queue.filter((q) => 'forget' in q.body);
    expect(queued.map((q) => q.body.anonymousId)).toEqual(['anon-3']);
    anon = 'anon-4';
    beacon({ win: fakeWin(true) });
    await tick(1000);
    expect(net.calls.at(-1)!.body).toMatchObject({ id: queued[0]!.body.id, anonymousId: 'anon-3', forget: true });
    expect(store.state()!.queue).toEqual([]);
    expect(errors).toEqual([]);
  });

  describe('under Global Privacy Control, forget() names only an id a batch left the device for', () => {
    const forgets = (): unknown[] => net.calls.filter((c) => c.body['forget'] === true).map((c) => c.body.anonymousId);
    /** A later page under GPC that forgets the profile; the forget requests it sent. */
    async function forgetUnderGPC(): Promise<unknown[]> {
      const quiet = beacon({ win: fakeWin(true) });
      await quiet.forget();
      await tick(5000);
      quiet.stop();
      return forgets();
    }

    /** A page whose one membership change goes out as it leaves (pagehide), then stops. */
    async function leaveWithChange(): Promise<void> {
      const b = beacon();
      await tick(0);
      b.update(['a']);
      b.pagehide();
      b.stop();
      await tick(0);
    }

    it('not for memberships that netted to nothing (the state still noted the id)', async () => {
      const b = beacon();
      await tick(0);
      b.update([]);
      await tick(2000);
      b.update(['a']);
      b.update([]);
      await b.flush();
      b.stop();
      expect(net.calls).toEqual([]);
      expect(store.state()!.anonymousId).toBe('anon-1');
      expect(await forgetUnderGPC()).toEqual([]);
      expect(errors).toEqual([]);
    });

    it('not for a batch queued but never handed over (sendBeacon refused, its fetch failed)', async () => {
      net.refuseBeacons();
      net.replies.push('network');
      await leaveWithChange();
      // Refused, then handed to a fetch that failed: the collector never had it.
      expect(net.beacons).toHaveLength(1);
      expect(net.calls).toHaveLength(1);
      expect(store.state()!.queue.map((q) => q.body.anonymousId)).toEqual(['anon-1']);
      expect(await forgetUnderGPC()).toEqual([]);
    });

    it('for a batch sendBeacon took on page exit, never acknowledged', async () => {
      await leaveWithChange();
      expect(net.beacons).toHaveLength(1);
      expect(net.calls).toEqual([]);
      expect(await forgetUnderGPC()).toEqual(['anon-1']);
    });

    it('for a batch whose fetch was under way when the page closed (noted before it left)', async () => {
      await stoppedMidFetch();
      expect(await forgetUnderGPC()).toEqual(['anon-1']);
    });

    it('a stored state from before the note: for a profile with acknowledged memberships, not for one with none', async () => {
      store.map.set(STATE_KEY, { v: 1, rev: 3, anonymousId: 'anon-1', acked: ['a'], last: 'x', queue: [] });
      expect(await forgetUnderGPC()).toEqual(['anon-1']);
      net.calls.length = 0;
      store.map.set(STATE_KEY, { v: 1, rev: 9, anonymousId: 'anon-1', acked: [], last: null, queue: [] });
      expect(await forgetUnderGPC()).toEqual([]);
    });

    it('GPC off: the request goes as before, batched or not', async () => {
      const b = beacon();
      await tick(0);
      b.update([]);
      await b.flush();
      await b.forget();
      await tick(1000);
      expect(forgets()).toEqual(['anon-1']);
    });
  });

  it('a request still in flight when the beacon stops (consent denied) writes nothing back after the store was erased', async () => {
    // createSegments on a denial: the beacon stops, then the store is erased.
    await stoppedMidFetch();
    store.map.clear();
    net.hung[0]!({ status: 204, headers: new Headers() } as Response);
    await tick(1000);
    expect(store.map.size).toBe(0);
  });

  it('only segment ids (and the host userId) leave the device', async () => {
    user = 'u-1';
    const b = beacon();
    b.update(['a', 'b']);
    await tick(1000);
    b.pagehide();
    const keys = new Set(net.calls.flatMap((c) => Object.keys(c.body)));
    expect([...keys].sort()).toEqual(['anonymousId', 'changes', 'id', 'members', 'sentAt', 'userId', 'v']);
    for (const c of net.calls) for (const ch of c.body.changes as object[]) expect(Object.keys(ch).sort()).toEqual(['member', 'segment', 't']);
  });

  it('after reset() nothing goes out for the forgotten id, not its batch still in the stored queue (the forgetting tab has not cleared yet)', async () => {
    net.replies.push('network');
    const b = beacon();
    b.update(['a']);
    await tick(1000);
    // The collector was down: the batch for anon-1 stays queued in the shared state.
    expect(store.state()?.queue).toHaveLength(1);
    b.reset();
    anon = 'anon-2';
    b.update([]);
    b.update(['a']);
    await tick(60_000);
    b.pagehide();
    expect([...net.calls, ...net.beacons].map((c) => c.body.anonymousId).slice(1)).toEqual(['anon-2']);
  });

  it('reset() (another tab forgot) drops this tab memory of the queue and resends the memberships for the new id', async () => {
    net.replies.push('network');
    const b = beacon({ store: null });
    b.update(['a']);
    await tick(1000);
    // Told while the facade still reads the forgotten id, then switched (createSegments' order).
    b.reset();
    anon = 'anon-2';
    await tick(60_000);
    expect(net.calls.map((c) => [c.body.anonymousId, c.body.changes])).toEqual([
      ['anon-1', [{ segment: 'a', member: true, t: T0 }]],
      ['anon-2', [{ segment: 'a', member: true, t: T0 + 2000 }]],
    ]);
  });
});
